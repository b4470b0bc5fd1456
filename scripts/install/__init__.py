"""The installer behind `nox -s install` (entry point: scripts.install.cli).

Imports run one way: errors <- failures / backends <- options / target <- plan <- execute <- cli;
envfile, pipconf (inputs), state (the environment on disk) and lock (environment.lock/: made by
`nox -s lock`, read by plan) sit below plan.
"""
