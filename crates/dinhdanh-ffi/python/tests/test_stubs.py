"""The type stubs (dinhdanh/__init__.pyi) name what the module has: every
class, function, method and exception subclass in them exists at run time,
and every public name of the module is in them."""

import ast
import pathlib

import dinhdanh

STUBS = pathlib.Path(__file__).resolve().parents[1] / "dinhdanh" / "__init__.pyi"


def stub_tree():
    return ast.parse(STUBS.read_text())


def test_every_stub_name_exists():
    for node in stub_tree().body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            runtime = getattr(dinhdanh, node.name)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.ClassDef)) and member.name != "__init__":
                    assert hasattr(runtime, member.name), f"{node.name}.{member.name}"


def test_every_public_name_has_a_stub():
    stubbed = {
        n.name for n in stub_tree().body if isinstance(n, (ast.FunctionDef, ast.ClassDef))
    }
    public = {
        n for n in dir(dinhdanh)
        if not n.startswith("_") and n[0].isupper() or n in ("parse_qr", "parse_mrz", "cross_check", "read_card", "verify_passive")
    }
    # UniFFI's helper classes for Rust-side implementations and protocols.
    public = {n for n in public if not n.endswith(("Impl", "Protocol"))}
    assert public - stubbed == set()
