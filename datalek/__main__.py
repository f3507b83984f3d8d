from datalek.cli import run

run()
