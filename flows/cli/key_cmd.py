"""`accord key create|show`: the secretariat's Ed25519 key, which signs the log's head at each archive."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flows.cli._common import Home, edge

key_app = typer.Typer(
    help="The secretariat's signing key (Ed25519): create it, show its public key.",
    no_args_is_help=True,
)

KeyFile = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="The private key file (default: HOME/keys/secretariat.key; keep it out of the database's "
        "backups).",
        show_default=False,
    ),
]


def key_path(home: Path | None, key_file: Path | None) -> Path:
    """The key file given, else the one under the home folder."""
    from storage.signing import default_key_path

    if key_file is not None:
        return key_file
    return default_key_path((home or Path(os.environ.get("ACCORD_HOME", "accord-home"))).resolve())


@key_app.command("create")
@edge
def create(key_file: KeyFile = None, home: Home = None) -> None:
    """Create the secretariat's key (mode 0600, never over an existing one) and print its public key.

    Give the public key to the parties and auditors: `accord verify --key` and a bundle's `verify.py --key` check
    the heads it signed.

    Example: accord key create --key-file /secure/accord-secretariat.key
    """
    from storage.signing import create_key

    path = key_path(home, key_file)
    public = create_key(path)
    typer.echo(
        f"created {path} (readable by you alone); `accord archive` signs with it from now on"
    )
    typer.echo(f"public key: {public}")


@key_app.command("show")
@edge
def show(key_file: KeyFile = None, home: Home = None) -> None:
    """Print the public key of the secretariat's key: the value auditors give to `--key`.

    Example: accord key show
    """
    from storage.signing import load_key, public_hex

    typer.echo(public_hex(load_key(key_path(home, key_file))))
