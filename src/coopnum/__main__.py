from coopnum.cli import app

app(prog_name="coopnum")
