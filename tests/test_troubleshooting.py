"""docs/troubleshooting.md is generated from the rules and messages: it must be current."""

from __future__ import annotations

from scripts.docs import troubleshooting


def test_page_is_current():
    assert troubleshooting.render() == troubleshooting.PAGE.read_text(encoding="utf-8"), (
        "docs/troubleshooting.md is stale: run python -m scripts.docs.troubleshooting"
    )


def test_page_covers_every_known_error_and_recorded_host():
    text = troubleshooting.render()
    for pattern in troubleshooting.known_errors.PATTERNS:
        assert f"(`{pattern.id}`)" in text
        for printed in pattern.printed:  # each message's source and torch range (issue 15)
            assert f"`{printed.source}` in torch `{printed.torch}`" in text
    for reader in troubleshooting.paste.READERS:  # what diagnose reads in free-form text
        assert f"`{reader.__module__}`" in text
    for path in troubleshooting.HOSTS.glob("*.json"):
        assert f"### {path.stem.replace('_', ' ')}" in text


def test_check_mode_reports_a_stale_page(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "troubleshooting.md"
    stale.write_text("old\n")
    monkeypatch.setattr(troubleshooting, "PAGE", stale)
    monkeypatch.setattr(troubleshooting, "ROOT", tmp_path)
    assert troubleshooting.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert troubleshooting.main([]) == 0
    assert troubleshooting.main(["--check"]) == 0
