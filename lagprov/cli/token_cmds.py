"""``lagprov token new NAME --role read|write``: a service token, printed once."""

from __future__ import annotations

from typing import Annotated

import typer

from lagprov.cli import _err, app
from lagprov.cli.exit import ExitStatus
from lagprov.errors import ConfigError

token_app = typer.Typer(help="Bearer tokens of the HTTP service ('lagprov serve').",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="Who holds it (recorded with every write).")],
    role: Annotated[str, typer.Option("--role", help="read or write.")],
) -> None:
    """Print a fresh token (shown only now) and the line that admits it.

    Give the token to its holder; add the line (name, role, the token's SHA-256: never the
    token itself) to the file named by $LAGPROV_TOKENS_FILE, or to $LAGPROV_TOKENS.
    """
    from lagprov.service.auth import ENV_TOKENS_FILE, Role, new_token

    if role not in {r.value for r in Role}:
        _err(f"lagprov: --role {role!r}: read or write")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    try:
        token, line = new_token(name, Role(role))
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    typer.echo(f"token (shown once, give it to {name}): {token}")
    typer.echo(f"line for ${ENV_TOKENS_FILE}: {line}")
