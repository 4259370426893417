"""The ``ddbmatrix`` command: install backends, serve one, build the divergence report."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Sequence
from pathlib import Path

import boto3

from ddbmatrix._version import __version__
from ddbmatrix.backends import (
    FAKE_CREDENTIALS,
    Backend,
    ProcessBackend,
    Server,
    get_backend,
    local_backends,
    registry,
    resolve_backends,
)
from ddbmatrix.backends.aws import TABLE_PREFIX
from ddbmatrix.errors import BackendDisabledError, BackendUnavailableError, DdbMatrixError
from ddbmatrix.folders import folder_problem
from ddbmatrix.summary import report_summary

__all__ = ["main"]


def _install(args: argparse.Namespace) -> int:
    names = resolve_backends(args.backends or ["all"])
    for name in names:
        backend = get_backend(name)
        try:
            backend.check()
            present = True
        except BackendDisabledError as error:
            print(f"{name}: skipped: {error}")
            continue
        except BackendUnavailableError:
            present = False
            print(f"{name}: installing (the first time takes a while) ...", flush=True)
        done = backend.install()
        backend.check()
        if done:
            print(f"{name}: {done}")
        state = "already installed" if present and not done else "ready"
        print(f"{name} {backend.version()}: {state}")
    return 0


def _backends(args: argparse.Namespace) -> int:
    for name in registry():
        backend = get_backend(name)
        try:
            backend.check()
            status = f"available, version {backend.version()}"
        except BackendUnavailableError as error:
            status = f"unavailable: {error}"
        scope = "local" if backend.local else "remote, opt-in"
        print(f"{name:16} ({scope}) {status}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    backend = get_backend(args.backend)
    log_dir = Path(tempfile.mkdtemp(prefix=f"ddbmatrix-serve-{args.backend}-"))
    log_path = log_dir / f"{args.backend}.log"
    crashed = False
    try:
        print(f"starting {backend.name} {backend.version()} ...", flush=True)
        # A failed start raises with the end of the log in its message: nothing to keep.
        server = backend.start("127.0.0.1", args.port, log_path)
        crashed = _serve_until_stopped(backend, server, log_path)
    finally:
        if not crashed:  # the log of a server that died is what the user reads next
            shutil.rmtree(log_dir, ignore_errors=True)
    if crashed:
        return 1
    print(f"{backend.name} stopped")
    return 0


def _serve_until_stopped(backend: Backend, server: Server, log_path: Path) -> bool:
    """Print how to reach ``server`` and wait for Ctrl-C; return True if it died meanwhile."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        print(f"{backend.name} listening on {server.endpoint}")
        if isinstance(backend, ProcessBackend):
            print(f"log: {log_path}")
        print("point boto3 at it with:")
        print(f"  export AWS_ENDPOINT_URL_DYNAMODB={server.endpoint}")
        print(f"  export AWS_ACCESS_KEY_ID={FAKE_CREDENTIALS['aws_access_key_id']}")
        print(f"  export AWS_SECRET_ACCESS_KEY={FAKE_CREDENTIALS['aws_secret_access_key']}")
        print(f"  export AWS_DEFAULT_REGION={FAKE_CREDENTIALS['region_name']}")
        print("press Ctrl-C to stop", flush=True)
        while not stop.wait(0.5):
            if not server.alive():
                print(f"{backend.name} exited unexpectedly; see {log_path}", file=sys.stderr)
                return True
    finally:
        server.stop()
    return False


def _aws_cleanup(args: argparse.Namespace) -> int:
    from ddbmatrix.backends.aws import CONTROL_PLANE_CONFIG, Aws, delete_tables, left_behind, ours
    from ddbmatrix.backends.aws import owner as this_owner

    run: str | None = args.run
    if run is not None and not re.fullmatch(r"[0-9A-Za-z]+", run):
        raise DdbMatrixError(
            f"--run needs the id of one run (like 1a2b3c4d, shown as 'run <id>' when it "
            f"started), not {run!r}; or use --all-mine"
        )
    mine = this_owner() if args.all_mine else None
    backend = Aws()
    backend.check()  # the same opt-in as the backend: DDBMATRIX_AWS=1
    endpoint = backend.start("127.0.0.1", None, Path(os.devnull)).endpoint
    client = boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint, config=CONTROL_PLANE_CONFIG
    )
    whose = f"run {run}" if run is not None else f"every run of {mine}"
    found = left_behind(client, run)
    going = ours(found, run, mine)
    kept = [table for table in found if table not in going]
    print(f"tables of {whose} at {endpoint}, by their ddbmatrix tags:")
    for table in going:
        print(f"  {table.name}  (run {table.run}, {table.owner}, created {table.created})")
    if kept:
        print(f"left alone: {len(kept)} table{'s' * (len(kept) != 1)} named {TABLE_PREFIX}* that")
        print("are not provably this cleanup's (no ddbmatrix tags, or another run's or owner's):")
        for table in kept:
            print(f"  {table.name}")
    plural = "s" * (len(going) != 1)
    if not going or args.dry_run:
        print(f"{'would delete' if going else 'nothing to delete:'} {len(going)} table{plural}")
        return 0
    if not args.yes:
        try:
            answer = input(f"delete these {len(going)} table{plural}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted (answer y, or pass --yes)")
            return 1
    delete_tables(client, [table.name for table in going])
    print(f"deleted {len(going)} table{plural}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from ddbmatrix.report import ReportOptions, build_report

    paths = args.runs or sorted(Path("reports/runs").glob("*.json"))
    if not paths:
        raise DdbMatrixError("no run files given and none in reports/runs: run a backend first")
    if args.fail_on_new and args.baseline is None:
        raise DdbMatrixError("--fail-on-new needs --baseline FILE to know what is new")
    _check_report_arguments(args)
    options = ReportOptions(
        out=Path(args.out),
        summary_only=args.summary_only,
        baseline=args.baseline,
        save_baseline=args.save_baseline,
        junit_dir=args.junit_dir,
        source_url=args.source_url,
        reference=args.reference,
    )
    result = build_report([Path(p) for p in paths], options)
    for warning in result.data["warnings"]:
        print(f"ddbmatrix report: warning: {warning}", file=sys.stderr)
    out = Path(args.out)
    print(f"wrote {_listing(result.written, out)}")
    runs = [(run.path, run.data) for run in result.runs]
    print("\n".join(report_summary(result.data, runs, out / "divergence.html")))
    if args.open:
        webbrowser.open((Path(args.out) / "divergence.html").resolve().as_uri())
    if args.fail_on_new and result.new:
        print(
            f"ddbmatrix report: {len(result.new)} new divergences since {args.baseline}",
            file=sys.stderr,
        )
        return 1
    return 0


def _check_report_arguments(args: argparse.Namespace) -> None:
    """Refuse, before any run file is read, an output the report could never be written to."""
    folders = [("--out", Path(args.out))]
    if args.junit_dir is not None:
        folders.append(("--junit-dir", args.junit_dir))
    if args.save_baseline is not None:
        if args.save_baseline.is_dir():
            raise DdbMatrixError(f"--save-baseline {args.save_baseline}: a folder; give a file")
        folders.append(("--save-baseline", args.save_baseline.parent))
    for flag, folder in folders:
        problem = folder_problem(folder)
        if problem is not None:
            raise DdbMatrixError(f"{flag} {folder}: {problem}; give a folder to write in")
    if args.source_url is not None:
        try:
            args.source_url.format(path="tests/t.py", line=1)
        except (KeyError, IndexError, ValueError) as error:
            raise DdbMatrixError(
                f"--source-url {args.source_url!r}: not a template ({error!r}); use {{path}} "
                "and {line}, e.g. https://github.com/o/r/blob/main/{path}#L{line}"
            ) from None


def _listing(paths: Sequence[Path], folder: Path) -> str:
    """Name written files in one line, relative to ``folder`` where they are in it."""
    names = []
    for path in paths:
        try:
            names.append(str(path.relative_to(folder)))
        except ValueError:
            names.append(str(path))
    return f"{', '.join(names)} in {folder}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ddbmatrix", description=__doc__)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="show the version"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    install = commands.add_parser("install", help="install the emulators of the given backends")
    install.add_argument(
        "backends",
        nargs="*",
        metavar="BACKEND",
        help=f"backend names or 'all' (default: all = {', '.join(local_backends())})",
    )
    install.set_defaults(func=_install)

    listing = commands.add_parser("backends", help="list backends and whether they can run here")
    listing.set_defaults(func=_backends)

    serve = commands.add_parser("serve", help="run one backend in the foreground until Ctrl-C")
    servable = sorted(name for name, backend in registry().items() if backend.local)
    serve.add_argument(
        "backend", choices=servable, metavar="BACKEND", help=f"one of {', '.join(servable)}"
    )
    serve.add_argument("--port", type=int, help="port to listen on (default: a free one)")
    serve.set_defaults(func=_serve)

    aws_cleanup = commands.add_parser(
        "aws-cleanup",
        help="delete the tables an interrupted aws run left behind: only tables ddbmatrix "
        "tagged as that run's, after asking (needs DDBMATRIX_AWS=1)",
    )
    which = aws_cleanup.add_mutually_exclusive_group(required=True)
    which.add_argument("--run", metavar="RUN_ID", help="the tables of this run")
    which.add_argument(
        "--all-mine",
        action="store_true",
        help="the tables of every run of this user on this machine (the owner tag)",
    )
    aws_cleanup.add_argument("--dry-run", action="store_true", help="list, do not delete")
    aws_cleanup.add_argument("--yes", action="store_true", help="delete without asking")
    aws_cleanup.set_defaults(func=_aws_cleanup)

    report = commands.add_parser("report", help="build the divergence report from run files")
    report.add_argument(
        "runs", nargs="*", metavar="RUN_FILE", help="run files (default: reports/runs/*.json)"
    )
    report.add_argument("--out", default="reports", help="output folder (default: reports)")
    report.add_argument(
        "--summary-only",
        action="store_true",
        help="write only the summary to divergence.md (short enough for a PR comment)",
    )
    report.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="mark each divergence known, new or gone since this baseline (or report JSON)",
    )
    report.add_argument(
        "--fail-on-new",
        action="store_true",
        help="exit 1 if there are divergences that the baseline does not know",
    )
    report.add_argument(
        "--save-baseline",
        type=Path,
        metavar="FILE",
        help="also write this report's divergences as a baseline file",
    )
    report.add_argument(
        "--junit-dir",
        type=Path,
        metavar="DIR",
        help="where the JUnit XML files go, one per backend (default: OUT/junit)",
    )
    report.add_argument(
        "--reference",
        type=Path,
        metavar="RUN_FILE",
        help="a saved run file (e.g. from `nox -s aws`) taken as right for the tests it "
        "covers, though its backend is not among this run's",
    )
    report.add_argument(
        "--source-url",
        metavar="TEMPLATE",
        help="link test locations in the HTML to this URL, with {path} and {line} "
        "(default: relative file links)",
    )
    report.add_argument(
        "--open",
        action="store_true",
        help="open the HTML report in the web browser once it is written",
    )
    report.set_defaults(func=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (DdbMatrixError, OSError) as error:
        print(f"ddbmatrix {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
