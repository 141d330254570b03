"""The set-up's files agree: the Dockerfile installs the uv the Makefile names (UV_VERSION), so
`make demo`, `make test`, CI and the image resolve uv.lock with the same uv."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dockerfile_installs_the_makefiles_uv_version():
    makefile = re.findall(r"^UV_VERSION\s*:?=\s*(\S+)\s*$", (ROOT / "Makefile").read_text(), re.M)
    dockerfile = (ROOT / "Dockerfile").read_text()
    argument = re.findall(r"^ARG UV_VERSION=(\S+)\s*$", dockerfile, re.M)
    assert len(makefile) == 1 and argument == makefile
    # The build argument is what is installed, not a second literal version.
    assert re.findall(r"uv==(\S+?)[\"'\s]", dockerfile) == ["${UV_VERSION}"]
