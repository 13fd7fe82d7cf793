"""System programs some tests need (LibreOffice, Chromium). `make test` runs on a machine with
only Python and Node: there a missing program skips the test with the reason (shown by
`-rs`). CI installs them (`.ci/run`), so where the environment variable CI is "true" a
missing program is a failure, never a silent skip."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require_program(*names: str, install: str, path: str | None = None) -> str:
    """The path of the first of `names` found on PATH (or `path`, when given and present)."""
    if path:
        found = path if os.path.exists(path) else None
    else:
        found = next((shutil.which(name) for name in names if shutil.which(name)), None)
    if found:
        return found
    reason = f"{' / '.join(names)} not found ({path or 'PATH'}): {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI installs it, so it must be there")
    pytest.skip(reason)


def convert_with_libreoffice(
    sources: list[Path], *, to: str, profile: Path, install: str
) -> list[bytes]:
    """Each of `sources` converted by the installed LibreOffice (`to`: "xlsx", "pdf" …), in
    one run, as `soffice --headless --convert-to` saves it. `profile` is LibreOffice's user
    profile: one per session (the `libreoffice_profile` fixture), since building it is most of
    a first start. Skipped where LibreOffice is missing, except in CI."""
    soffice = require_program("soffice", "libreoffice", install=install)
    outdir = sources[0].parent / f"converted-to-{to}"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return [(outdir / f"{source.stem}.{to}").read_bytes() for source in sources]
