"""`python -m verify fleet`: one summary of many machines' reports (shared/DESIGN.md, issue 14).

One way through, each module one job:

    reports.load(sources) -> Loaded        read files / folders / stdin, validate, name bad ones
    summary.summarise(loaded) -> Fleet     per machine, per cause (the fix once), version spread
    console / markdown / html              renderers: Fleet -> text; they decide nothing
    cli.main(argv) -> exit code            0 all ready, 1 any not ready, 2 bad input or usage

Nothing here imports torch, rules or the runner: a fleet summary needs the reports only.
"""
