"""Runs another script of the project in-process, as a script."""
import runpy

if __name__ == "__main__":
    runpy.run_path("scripts/report.py", run_name="__main__")
