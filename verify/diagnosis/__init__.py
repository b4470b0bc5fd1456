"""`verify diagnose`: the same reasoning as `verify run`, on text someone else pasted.

- paste/      readers: pull facts out of free-form text (collect_env, version lists, pip / uv /
              conda output, tool dumps, tracebacks, prose) into a `Pasted` record (envdump.py);
- diagnose.py the entry point: reads a paste, runs the host rules (verify.rules) on the facts
              read, then the readings below, and orders the rows into a Report;
- *_rows.py, placement.py, resolver.py, timeline.py, behind.py, opsupport.py, said_ops.py,
  cpu_fallback.py, settle.py
              readings across facts (where the process runs, what the resolver said, how far the
              torch was behind, which op lacks a kernel in which release and macOS, what the paste
              cannot settle);
- *_messages.py the user-facing cause / fix texts of those readings.

Nothing outside this package imports it except verify.cli (lazily) and the release-data
scripts under scripts/recipes.
"""
