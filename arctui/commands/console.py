"""``arctui [DB]``: open the console (a placeholder until the console lands)."""
import click

from arctui.commands.common import DB_ENV
from arctui.store.connection import connect


@click.command(name="console")
@click.argument("db_path", envvar=DB_ENV, type=click.Path(dir_okay=False))
def command(db_path):
    """Open the collector console on DB_PATH."""
    db = connect(db_path)
    count = db.execute("SELECT count(*) FROM customers").fetchone()[0]
    click.echo(f"arctui: {db_path} holds {count} accounts. The console is not built yet.")
