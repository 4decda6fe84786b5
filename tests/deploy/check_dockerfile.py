#!/usr/bin/env python3
"""Checks the Dockerfile's package lists against the truth they must follow.

- The build stage installs exactly the @build section of scripts/packages.txt, so the image is
  built from the same Debian packages as `make deps` installs.
- The runtime stage, the last one, runs as an unprivileged user and installs exactly the Debian packages that hold the shared libraries evload and
  evserve link directly (readelf NEEDED → library path → `dpkg -S`), less what debian:bookworm-slim
  already has.

usage: check_dockerfile.py DOCKERFILE PACKAGES_TXT BINARY...
"""
import re
import subprocess
import sys
from pathlib import Path

# In every debian:bookworm-slim image (apt and the essential set depend on them).
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}


def package_sections(packages_txt: Path) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in packages_txt.read_text().splitlines():
        marker = re.match(r"#\s*@(\w+)\s*$", line.strip())
        if marker:
            current = sections.setdefault(marker.group(1), set())
            continue
        words = line.split("#", 1)[0].split()
        if words and current is None:
            sys.exit(f"{packages_txt}: package {words[0]} before any '# @section' line")
        for word in words:
            current.add(word)
    return sections


def stage_installs(dockerfile: Path) -> dict[str, set[str]]:
    """Stage name → the packages its `apt-get install` lines name."""
    text = dockerfile.read_text()
    # Join continuation lines, as Docker does, dropping comment lines inside them.
    logical, pending = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") and pending:
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: dict[str, set[str]] = {}
    stage = None
    for line in logical:
        start = re.match(r"\s*FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if start:
            stage = start.group(1) or f"stage{len(stages)}"
            stages.setdefault(stage, set())
            continue
        if stage is None or not re.match(r"\s*RUN\b", line):
            continue
        for command in re.split(r"&&|;", line):
            words = command.split()
            if "apt-get" in words and "install" in words:
                after = words[words.index("install") + 1:]
                stages[stage].update(w for w in after if not w.startswith("-"))
    return stages


def final_stage_user(dockerfile: Path) -> tuple[str, str]:
    """(name of the last stage, the last USER it sets, "" for none)."""
    stage, user = "", ""
    for line in dockerfile.read_text().splitlines():
        start = re.match(r"\s*FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if start:
            stage, user = start.group(1) or "", ""
        named = re.match(r"\s*USER\s+(\S+)", line, re.IGNORECASE)
        if named:
            user = named.group(1)
    return stage, user


def owning_package(library: str) -> str:
    # With merged /usr a library may be registered under /lib or /usr/lib: try both spellings.
    candidates = [library, str(Path(library).resolve())]
    for path in list(candidates):
        if path.startswith("/usr/"):
            candidates.append(path[len("/usr"):])
        else:
            candidates.append("/usr" + path)
    for path in candidates:
        found = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":", 1)[0].strip()
    sys.exit(f"no Debian package holds {library}")


def runtime_packages(binaries: list[str]) -> set[str]:
    paths = {}
    for entry in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*(\S+) \((.*)\) => (\S+)", entry)
        if m:
            paths.setdefault(m.group(1), m.group(3))
    needed = set()
    for binary in binaries:
        dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic))
    missing = sorted(n for n in needed if n not in paths)
    if missing:
        sys.exit(f"not found by ldconfig: {missing}")
    return {owning_package(paths[n]) for n in needed} - BASE_IMAGE_PACKAGES


def compare(what: str, found: set[str], expected: set[str]) -> bool:
    if found == expected:
        print(f"ok: {what}: {' '.join(sorted(found))}")
        return True
    print(f"FAIL: {what}")
    if expected - found:
        print(f"  missing from the Dockerfile: {' '.join(sorted(expected - found))}")
    if found - expected:
        print(f"  in the Dockerfile but not expected: {' '.join(sorted(found - expected))}")
    return False


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    dockerfile, packages_txt, binaries = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    stages = stage_installs(dockerfile)
    sections = package_sections(packages_txt)
    for needed in ("build", "runtime"):
        if needed not in stages:
            print(f"FAIL: {dockerfile} has no stage named '{needed}' (FROM … AS {needed})")
            return 1
    if "build" not in sections:
        print(f"FAIL: {packages_txt} has no '# @build' section")
        return 1
    last_stage, user = final_stage_user(dockerfile)
    ok = last_stage == "runtime"
    print(("ok" if ok else "FAIL") + f": the image is the runtime stage (last stage: '{last_stage}')")
    unprivileged = user != "" and user.split(":")[0] not in ("root", "0")
    print(("ok" if unprivileged else "FAIL") + f": the runtime stage runs as an unprivileged user (USER '{user}')")
    ok &= unprivileged
    ok &= compare("build stage = @build of scripts/packages.txt", stages["build"], sections["build"])
    ok &= compare("runtime stage = the packages of the binaries' shared libraries", stages["runtime"],
                  runtime_packages(binaries))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
