"""What the generators of docs/openapi.yaml and docs/asyncapi.yaml share: YAML
with block text and no anchors, and the write-or-`--check` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block text for multi-line descriptions, and no anchors for shared parts."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(document: dict, header: str) -> str:
    return header + yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def main(argv: list[str] | None, description: str, render: Callable[[], str], output: Path,
         script: str) -> int:  # fmt: skip
    """Write `output`, or with --check fail when it differs from `render()`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if output.read_text(encoding="utf-8") != text:
            print(f"{output} is out of date: run {script}", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output.name}")
    return 0
