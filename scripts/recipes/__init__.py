"""Recipe tools: build recipes/ into a local channel (build), move them to a torch release
(bump), regenerate verify's release table (refresh_compat), all reading PyPI through pypi."""
