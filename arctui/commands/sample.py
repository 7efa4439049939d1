"""``arctui sample``: write a new database filled with a deterministic demo book."""
import click


@click.command(name="sample")
@click.argument("path", type=click.Path(dir_okay=False))
def command(path):
    """Make PATH, a new database with a realistic sample book (same arguments, same data)."""
    raise click.ClickException("arctui sample: not implemented yet")
