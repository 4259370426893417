"""The aws backend's write guard: a request may change only a table the run created.

An allow-list, not a block-list. Every operation of the DynamoDB (and DynamoDB Streams) API
is in :data:`RULES`, with what it changes, read from the request's own fields:

- reads change nothing and go (``GetItem``, ``Query``, ``Describe*``, ``List*``, ...);
- a write names its tables: ``TableName`` (a name or a table ARN), every table of
  ``RequestItems`` and of ``TransactItems``, every statement of a PartiQL request (read by
  :mod:`ddbmatrix.partiql`, not a regular expression), the table of a backup, stream or
  resource ARN, the target *and* the source of a restore, a global table's name;
- what changes something outside DynamoDB (an export to, a bulk load report in, an S3
  bucket) is refused.

Every table a write names must be one of the run's (its name starts with the run's prefix,
``ddbm-<run id>-``); anything the guard cannot read with certainty, and any operation it
does not know (one a newer botocore adds), is refused. ``tests/unit/test_aws_guard.py``
checks that every operation of the installed botocore's service model has a rule.

The guard is applied twice (see :class:`HttpGuard`): on every client ddbmatrix hooks, before
the request is built (:func:`guard`), and at the HTTP layer every botocore client crosses,
so that a client built at import time, in a session fixture or before ddbmatrix loaded is
held to the same rule.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import botocore.httpsession

from ddbmatrix.context import BackendContext, netloc
from ddbmatrix.environment import PLACEHOLDER_ENDPOINT
from ddbmatrix.errors import AwsGuardError
from ddbmatrix.partiql import PartiQLError, parse

__all__ = ["RULES", "AwsGuardError", "HttpGuard", "check", "guard", "tables_changed"]


class _Unsure(Exception):
    """The guard cannot tell with certainty what a request changes."""


Rule = Callable[[Mapping[str, Any]], list[str]]

#: The characters of a table name (DynamoDB allows 3 to 255 of them).
_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9_.-]*")
#: ``arn:<partition>:dynamodb:<region>:<account>:table/<name>[/<kind>/<id>]``.
_TABLE_ARN = re.compile(
    r"arn:[a-z-]+:dynamodb:[a-z0-9-]*:[0-9]*:table/(?P<name>[A-Za-z0-9_.-]+)"
    r"(?:/(?P<kind>[a-z-]+)/(?P<id>[^/]+))?"
)


def _table_ref(value: object, what: str = "TableName") -> str:
    """Return the table of a ``TableName`` field: a name, or a table's ARN."""
    if not isinstance(value, str):
        raise _Unsure(f"{what} is not a string")
    if value.startswith("arn:"):
        return _arn_table(value, ("table",), what)
    return value


def _no_table_is_named(name: str) -> bool:
    """Whether no table can be called ``name``: made of a name's characters, of a bad length.

    DynamoDB refuses such a request (its validation tests send them on purpose), and no
    normalization turns these characters into another name.
    """
    return bool(_NAME_CHARACTERS.fullmatch(name)) and not 3 <= len(name) <= 255


def _arn_table(value: object, kinds: tuple[str, ...], what: str) -> str:
    """Return the table of an ARN of one of ``kinds`` ("table", or a table's "backup", ...)."""
    match = _TABLE_ARN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _Unsure(f"{what} {value!r} is not the ARN of a table or of one of its parts")
    kind = match.group("kind") or "table"
    if kind not in kinds:
        raise _Unsure(f"{what} {value!r} is the ARN of a {kind}, not of a {' or '.join(kinds)}")
    return match.group("name")


# -- rules -----------------------------------------------------------------------------------


def _reads(params: Mapping[str, Any]) -> list[str]:
    return []


def _field(key: str) -> Rule:
    return lambda params: [_table_ref(params.get(key), key)]


def _arn_field(key: str, *kinds: str) -> Rule:
    return lambda params: [_arn_table(params.get(key), kinds or ("table",), key)]


def _refused(why: str) -> Rule:
    def rule(params: Mapping[str, Any]) -> list[str]:
        raise _Unsure(why)

    return rule


def _create_table(params: Mapping[str, Any]) -> list[str]:
    names = [_table_ref(params.get("TableName"))]
    if "GlobalTableSourceArn" in params:  # a replica joins, and so changes, that global table
        names.append(_arn_table(params["GlobalTableSourceArn"], ("table",), "GlobalTableSourceArn"))
    return names


def _batch_write(params: Mapping[str, Any]) -> list[str]:
    items = params.get("RequestItems")
    if not isinstance(items, Mapping):
        raise _Unsure("RequestItems is not a map of tables")
    return [_table_ref(name, "RequestItems") for name in items]


_TRANSACT_ACTIONS = frozenset({"Put", "Update", "Delete", "ConditionCheck"})


def _transact_write(params: Mapping[str, Any]) -> list[str]:
    # A ConditionCheck changes nothing, but a transaction is refused as a whole if any of its
    # tables is foreign: the rule is simpler to trust than one that reads each action.
    actions = params.get("TransactItems")
    if not isinstance(actions, list):
        raise _Unsure("TransactItems is not a list")
    names = []
    for action in actions:
        if not isinstance(action, Mapping) or len(action) != 1:
            raise _Unsure("a TransactItems entry holds not exactly one action")
        ((kind, body),) = action.items()
        if kind not in _TRANSACT_ACTIONS or not isinstance(body, Mapping):
            raise _Unsure(f"a TransactItems action {kind!r} the guard does not know")
        names.append(_table_ref(body.get("TableName")))
    return names


def _statement_tables(text: object) -> list[str]:
    if not isinstance(text, str):
        raise _Unsure("a Statement is not a string")
    try:
        statement = parse(text)
    except PartiQLError as error:
        raise _Unsure(f"cannot read the statement {text!r}: {error}") from None
    if statement.table is None:
        return []
    return [_table_ref(statement.table, "the statement's table")]


def _statements(key: str) -> Rule:
    def rule(params: Mapping[str, Any]) -> list[str]:
        entries = params.get(key)
        if not isinstance(entries, list):
            raise _Unsure(f"{key} is not a list of statements")
        names = []
        for entry in entries:
            if not isinstance(entry, Mapping):
                raise _Unsure(f"a {key} entry is not a map")
            names += _statement_tables(entry.get("Statement"))
        return names

    return rule


def _execute_statement(params: Mapping[str, Any]) -> list[str]:
    return _statement_tables(params.get("Statement"))


def _restore_from_backup(params: Mapping[str, Any]) -> list[str]:
    return [
        _table_ref(params.get("TargetTableName"), "TargetTableName"),
        _arn_table(params.get("BackupArn"), ("backup",), "BackupArn"),
    ]


def _restore_to_point_in_time(params: Mapping[str, Any]) -> list[str]:
    names = [_table_ref(params.get("TargetTableName"), "TargetTableName")]
    if "SourceTableArn" in params:
        names.append(_arn_table(params["SourceTableArn"], ("table",), "SourceTableArn"))
    if "SourceTableName" in params:
        names.append(_table_ref(params["SourceTableName"], "SourceTableName"))
    if len(names) == 1:
        raise _Unsure("no SourceTableName or SourceTableArn")
    return names


def _import_table(params: Mapping[str, Any]) -> list[str]:
    creation = params.get("TableCreationParameters")
    if not isinstance(creation, Mapping):
        raise _Unsure("TableCreationParameters is not a map")
    return [_table_ref(creation.get("TableName"), "TableCreationParameters.TableName")]


_READS = (
    "BatchGetItem",
    "DescribeBackup",
    "DescribeBulkOperation",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTableReplicaAutoScaling",
    "DescribeTimeToLive",
    "GetItem",
    "GetResourcePolicy",
    "ListBackups",
    "ListBulkOperations",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "ListTables",
    "ListTagsOfResource",
    "Query",
    "Scan",
    "SearchVectors",
    "TransactGetItems",
    # DynamoDB Streams: the whole API reads.
    "DescribeStream",
    "GetRecords",
    "GetShardIterator",
    "ListStreams",
)
_BY_TABLE_NAME = (
    "CreateBackup",
    "DeleteItem",
    "DeleteTable",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "PutItem",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateItem",
    "UpdateKinesisStreamingDestination",
    "UpdateTable",
    "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
)

#: Operation name -> what its request changes (raises ``_Unsure`` when that is unclear).
RULES: dict[str, Rule] = {
    **dict.fromkeys(_READS, _reads),
    **{operation: _field("TableName") for operation in _BY_TABLE_NAME},
    "CreateTable": _create_table,
    "BatchWriteItem": _batch_write,
    "TransactWriteItems": _transact_write,
    "ExecuteStatement": _execute_statement,
    "BatchExecuteStatement": _statements("Statements"),
    "ExecuteTransaction": _statements("TransactStatements"),
    "TagResource": _arn_field("ResourceArn"),
    "UntagResource": _arn_field("ResourceArn"),
    # A resource policy is put on a table or on its stream.
    "PutResourcePolicy": _arn_field("ResourceArn", "table", "stream"),
    "DeleteResourcePolicy": _arn_field("ResourceArn", "table", "stream"),
    "DeleteBackup": _arn_field("BackupArn", "backup"),
    "RestoreTableFromBackup": _restore_from_backup,
    "RestoreTableToPointInTime": _restore_to_point_in_time,
    # A global table is named like the tables it replicates.
    "CreateGlobalTable": _field("GlobalTableName"),
    "UpdateGlobalTable": _field("GlobalTableName"),
    "UpdateGlobalTableSettings": _field("GlobalTableName"),
    "ImportTable": _import_table,
    "CancelBulkOperation": _arn_field("BulkOperationArn", "bulk-operation"),
    "ExportTableToPointInTime": _refused("an export writes to an S3 bucket the run did not create"),
    "StartBulkPutItems": _refused("a bulk load writes a report to an S3 bucket"),
}


def tables_changed(operation: str, params: Mapping[str, Any]) -> list[str]:
    """Return the tables a request would change; raise :class:`AwsGuardError` if unsure."""
    rule = RULES.get(operation)
    if rule is None:
        raise AwsGuardError(
            f"ddbmatrix refused to send {operation} to real AWS: an operation the write guard "
            "does not know is refused until it is classified (ddbmatrix.aws_guard.RULES)"
        )
    try:
        return rule(params)
    except _Unsure as why:
        raise AwsGuardError(
            f"ddbmatrix refused to send {operation} to real AWS: {why}, so the write guard "
            "cannot tell that it changes only the run's own tables"
        ) from None


def check(operation: str, params: Mapping[str, Any], prefix: str) -> None:
    """Raise :class:`AwsGuardError` unless the request changes only tables named ``prefix*``."""
    for table in tables_changed(operation, params):
        if not table.startswith(prefix) and not _no_table_is_named(table):
            raise AwsGuardError(
                f"ddbmatrix refused to send {operation} to real AWS for table {table!r}: an "
                f"aws run may change only the tables it created ({prefix}*)"
            )


def guard(client: Any, prefix: str) -> Any:
    """Make ``client`` refuse, before building it, any request :func:`check` refuses."""

    def before(params: dict[str, Any], model: Any, **_: Any) -> None:
        check(model.name, params, prefix)

    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(
        f"provide-client-params.{service}", before, unique_id="ddbmatrix-aws-guard"
    )
    return client


# -- the HTTP layer --------------------------------------------------------------------------

#: ``X-Amz-Target`` of the DynamoDB and DynamoDB Streams JSON APIs: ``DynamoDB_20120810.PutItem``.
_TARGET = re.compile(r"(DynamoDB|DynamoDBStreams)_\d{8}\.(\w+)")


def _header(headers: Any, name: str) -> str:
    value = headers.get(name, "")
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class HttpGuard:
    """:func:`check` every DynamoDB request sent to real AWS, by any botocore client.

    It wraps ``botocore.httpsession.URLLib3Session.send``, as the router does
    (:mod:`ddbmatrix.routing` says why that layer). A request reaches AWS when it is
    addressed to the aws backend's endpoint (a stand-in's too), to the placeholder while
    the aws backend is current (the router refuses those too), or to any host off this
    machine that is no backend's server (the router lets only AWS's through). What it
    cannot read (no known ``X-Amz-Target``, a body that is not JSON) is refused.
    """

    def __init__(
        self,
        context: BackendContext,
        prefix: str,
        real_backends: frozenset[str],
        placeholder: str = PLACEHOLDER_ENDPOINT,
    ) -> None:
        self.context = context
        self.prefix = prefix
        self.real_backends = real_backends
        self.placeholder = netloc(placeholder)
        self._original: Callable[..., Any] | None = None
        self._wrapper: Callable[..., Any] | None = None

    def reaches_aws(self, url: str) -> bool:
        served_by = self.context.served_by(url)
        if served_by is not None:
            return served_by in self.real_backends
        if netloc(url) == self.placeholder:
            return self.context.backend in self.real_backends
        return not _is_loopback(netloc(url).rsplit(":", 1)[0])

    def inspect(self, url: str, headers: Any, body: Any) -> None:
        """Raise :class:`AwsGuardError` if this request to ``url`` may not go."""
        if not self.context.innermost or not self.reaches_aws(url):
            return
        target = _header(headers, "X-Amz-Target")
        match = _TARGET.fullmatch(target)
        if match is None:
            host = netloc(url)
            if target or "dynamodb" in host or ".ddb." in host or self.context.served_by(url):
                raise AwsGuardError(
                    f"ddbmatrix refused a request to real AWS ({url}) with an X-Amz-Target "
                    f"the write guard does not know: {target or 'none'}"
                )
            return  # not DynamoDB: a credential refresh (STS, SSO); the router decides
        check(match.group(2), _json_body(match.group(2), headers, body), self.prefix)

    def install(self) -> None:
        if self._original is not None:
            return
        original = botocore.httpsession.URLLib3Session.send
        http_guard = self

        def send(session: Any, request: Any) -> Any:
            http_guard.inspect(request.url, request.headers, request.body)
            return original(session, request)

        self._original, self._wrapper = original, send
        botocore.httpsession.URLLib3Session.send = send  # type: ignore[method-assign,assignment]

    def uninstall(self) -> None:
        # Only if nothing wrapped send after us (the router puts back its own original).
        if self._original is not None and botocore.httpsession.URLLib3Session.send is self._wrapper:
            botocore.httpsession.URLLib3Session.send = self._original  # type: ignore[method-assign]
        self._original = self._wrapper = None


def _json_body(operation: str, headers: Any, body: Any) -> Mapping[str, Any]:
    if hasattr(body, "read"):
        raise AwsGuardError(f"ddbmatrix refused {operation} to real AWS: a streamed body")
    raw = body.encode() if isinstance(body, str) else bytes(body or b"{}")
    encoding = _header(headers, "Content-Encoding").lower()
    try:
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding not in ("", "identity"):
            raise ValueError(f"Content-Encoding {encoding}")
        params = json.loads(raw or b"{}")
    except (ValueError, OSError) as error:
        raise AwsGuardError(
            f"ddbmatrix refused {operation} to real AWS: its body cannot be read ({error})"
        ) from None
    if not isinstance(params, dict):
        raise AwsGuardError(f"ddbmatrix refused {operation} to real AWS: its body is not a map")
    return params
