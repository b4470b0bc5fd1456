"""The installer behind `nox -s install` (entry point: scripts.install.cli).

Imports run one way: errors <- failures / backends <- options / target <- plan <- execute <- cli;
envfile, pipconf (inputs) and state (the environment on disk) sit below plan.
"""
