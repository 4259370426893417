"""Declared tables from a CloudFormation or SAM template.

Each ``AWS::DynamoDB::Table`` and ``AWS::Serverless::SimpleTable`` resource becomes a
:class:`~ddbmatrix.declarations.DeclaredTable` named by its logical id; the template's own
``TableName`` is not used, since every test gets a unique name. A function's environment
variable whose value is ``!Ref <table>`` (in ``Environment.Variables`` of a function or in
``Globals.Function``) becomes one of the table's ``env`` names, so the code under test reads
the real name from the variable it reads in production.

YAML templates use short-form tags (``!Ref``, ``!GetAtt``, ``!Sub``, ...); they are read as the
long form (``{"Ref": ...}``, ``{"Fn::GetAtt": [...]}``). ``!Ref`` to a parameter resolves to
its ``Default``; any other intrinsic function in a property ddbmatrix needs is an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ddbmatrix.declarations import DeclarationError, DeclaredTable

__all__ = ["load_template", "tables_from_template"]

_TABLE = "AWS::DynamoDB::Table"
_SIMPLE_TABLE = "AWS::Serverless::SimpleTable"
_FUNCTIONS = ("AWS::Serverless::Function", "AWS::Lambda::Function")
_SIMPLE_TYPES = {"String": "S", "Number": "N", "Binary": "B"}


def _yaml_loader() -> Any:
    import yaml

    class TemplateLoader(yaml.SafeLoader):
        """A safe loader that reads CloudFormation's short-form tags as the long form."""

    def intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        if suffix == "Ref":
            return {"Ref": value}
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {f"Fn::{suffix}": value}

    TemplateLoader.add_multi_constructor("!", intrinsic)
    return TemplateLoader


def _read(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text()
    except OSError as error:
        raise DeclarationError(f"template {path}: cannot read it ({error.strerror})") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise DeclarationError(f"template {path}: not valid JSON ({error})") from None
    else:
        import yaml

        try:
            data = yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
        except yaml.YAMLError as error:
            raise DeclarationError(f"template {path}: not valid YAML ({error})") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("Resources"), Mapping):
        raise DeclarationError(f"template {path}: no Resources section")
    return data


class _Resolver:
    """Resolve the few intrinsic functions a table's properties may use."""

    def __init__(self, template: Mapping[str, Any], where: str) -> None:
        self.parameters = template.get("Parameters") or {}
        self.where = where

    def __call__(self, value: Any, what: str) -> Any:
        if isinstance(value, Mapping) and set(value) == {"Ref"}:
            parameter = self.parameters.get(value["Ref"])
            if isinstance(parameter, Mapping) and "Default" in parameter:
                return parameter["Default"]
        if isinstance(value, Mapping) and len(value) == 1:
            function = next(iter(value))
            if function == "Ref" or function.startswith("Fn::"):
                raise DeclarationError(
                    f"{self.where}: {what} is {function} {value[function]!r}, which ddbmatrix "
                    "cannot resolve; write the value itself"
                )
        return value


def _key_attributes(
    key_schema: Any, types: Mapping[str, str], where: str, resolve: _Resolver
) -> dict[str, str]:
    ordered = sorted(resolve(key_schema, "KeySchema") or [], key=lambda k: k["KeyType"] != "HASH")
    try:
        return {key["AttributeName"]: types[key["AttributeName"]] for key in ordered}
    except KeyError as error:
        raise DeclarationError(
            f"{where}: key attribute {error.args[0]!r} has no AttributeDefinitions entry"
        ) from None


def _indexes(
    indexes: Any, types: Mapping[str, str], where: str, resolve: _Resolver
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for index in resolve(indexes, "an index list") or []:
        projection = index.get("Projection") or {}
        kind = projection.get("ProjectionType", "KEYS_ONLY")
        result[index["IndexName"]] = {
            "keys": _key_attributes(index["KeySchema"], types, where, resolve),
            "projection": list(projection.get("NonKeyAttributes", []))
            if kind == "INCLUDE"
            else kind,
        }
    return result


def _table(name: str, properties: Mapping[str, Any], resolve: _Resolver) -> DeclaredTable:
    where = resolve.where
    types = {
        d["AttributeName"]: d["AttributeType"]
        for d in resolve(properties.get("AttributeDefinitions"), "AttributeDefinitions") or []
    }
    # CloudFormation's default is PROVISIONED (with ProvisionedThroughput required).
    billing = resolve(properties.get("BillingMode", "PROVISIONED"), "BillingMode")
    return DeclaredTable(
        name,
        keys=_key_attributes(properties.get("KeySchema"), types, where, resolve),
        gsis=_indexes(properties.get("GlobalSecondaryIndexes"), types, where, resolve),
        lsis=_indexes(properties.get("LocalSecondaryIndexes"), types, where, resolve),
        billing_mode=billing,
    )


def _simple_table(name: str, properties: Mapping[str, Any], resolve: _Resolver) -> DeclaredTable:
    key = resolve(properties.get("PrimaryKey"), "PrimaryKey") or {"Name": "id", "Type": "String"}
    key_type = _SIMPLE_TYPES.get(resolve(key.get("Type", "String"), "PrimaryKey.Type"))
    if key_type is None:
        raise DeclarationError(f"{resolve.where}: PrimaryKey.Type must be String, Number or Binary")
    billing = "PROVISIONED" if properties.get("ProvisionedThroughput") else "PAY_PER_REQUEST"
    return DeclaredTable(name, keys={key["Name"]: key_type}, billing_mode=billing)


def _environment(template: Mapping[str, Any], tables: set[str]) -> dict[str, list[str]]:
    """Map each table to the function environment variables that ``!Ref`` it."""
    blocks = [((template.get("Globals") or {}).get("Function") or {}).get("Environment")]
    for resource in template["Resources"].values():
        if isinstance(resource, Mapping) and resource.get("Type") in _FUNCTIONS:
            blocks.append((resource.get("Properties") or {}).get("Environment"))
    env: dict[str, list[str]] = {}
    for block in blocks:
        variables = (block or {}).get("Variables") or {}
        for variable, value in variables.items():
            target = value.get("Ref") if isinstance(value, Mapping) else None
            if isinstance(value, Mapping) and value.get("Fn::Sub") in {f"${{{t}}}" for t in tables}:
                target = value["Fn::Sub"][2:-1]
            if target in tables and variable not in env.setdefault(target, []):
                env[target].append(variable)
    return env


def tables_from_template(template: Mapping[str, Any], source: str) -> list[DeclaredTable]:
    """Return the tables a parsed template declares; ``source`` names it in errors."""
    declared: list[DeclaredTable] = []
    for name, resource in template["Resources"].items():
        if not isinstance(resource, Mapping):
            continue
        resolve = _Resolver(template, f"template {source}, resource {name}")
        properties = resource.get("Properties") or {}
        try:
            if resource.get("Type") == _TABLE:
                declared.append(_table(name, properties, resolve))
            elif resource.get("Type") == _SIMPLE_TABLE:
                declared.append(_simple_table(name, properties, resolve))
        except (KeyError, TypeError, AttributeError) as error:
            raise DeclarationError(
                f"{resolve.where}: malformed table properties ({type(error).__name__}: {error})"
            ) from None
        except DeclarationError as error:
            if str(error).startswith(resolve.where):
                raise
            raise DeclarationError(f"{resolve.where}: {error}") from None
    env = _environment(template, {table.name for table in declared})
    return [table.with_options(env=env.get(table.name, [])) for table in declared]


def load_template(path: str | Path) -> list[DeclaredTable]:
    """Return the tables the CloudFormation or SAM template at ``path`` declares (JSON or YAML).

    Raises:
        DeclarationError: the file cannot be read or a table in it cannot be understood.
    """
    path = Path(path)
    tables = tables_from_template(_read(path), str(path))
    if not tables:
        raise DeclarationError(f"template {path}: no {_TABLE} or {_SIMPLE_TABLE} resources")
    return tables
