"""Maintenance tools of torch-mps-kit (installer, recipe bumps, benchmarks); run by noxfile.py."""
