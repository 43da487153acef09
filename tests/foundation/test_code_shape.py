"""The app code keeps its shape: functions of at most 60 lines, modules of at most 400 unless they say why.

The rule is scripts/code_shape.py's (``make lint`` runs it too); the first test holds the code base to
it, the others show that it catches a long function and an unexplained long module in a throwaway tree.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("code_shape", ROOT / "scripts" / "code_shape.py")
code_shape = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(code_shape)


def _function(name: str, body_lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(body_lines))
    return f"{indent}def {name}():\n{body}"


def test_no_app_function_is_over_60_lines_and_every_long_module_says_why():
    assert code_shape.problems(ROOT) == []


def test_a_function_of_61_lines_is_reported_and_one_of_60_is_not(tmp_path):
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "services.py").write_text(_function("short", 59) + _function("long_one", 60))
    assert code_shape.problems(tmp_path) == ["tasks/services.py:61 long_one (61 lines)"]


def test_a_long_method_inside_a_class_is_reported(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "views.py").write_text("class Page:\n" + _function("get", 70, indent="    "))
    assert code_shape.problems(tmp_path) == ["reports/views.py:2 get (71 lines)"]


def test_a_long_module_needs_a_reason_near_its_top_and_migrations_are_left_out(tmp_path):
    (tmp_path / "demo" / "migrations").mkdir(parents=True)
    many = "".join(f"X{i} = {i}\n" for i in range(401))
    (tmp_path / "demo" / "data.py").write_text('"""Data."""\n' + many)
    (tmp_path / "demo" / "migrations" / "0001_initial.py").write_text(many + _function("forwards", 80))
    assert code_shape.problems(tmp_path) == [
        "demo/data.py (402 lines, no '# Long module: <reason>' near its top)"
    ]

    (tmp_path / "demo" / "data.py").write_text('"""Data."""\n# Long module: one table of figures.\n' + many)
    assert code_shape.problems(tmp_path) == []


def test_a_reason_far_below_the_top_or_without_words_does_not_count(tmp_path):
    (tmp_path / "importers").mkdir()
    many = "".join(f"X{i} = {i}\n" for i in range(401))
    (tmp_path / "importers" / "late.py").write_text(many + "# Long module: said too late.\n")
    (tmp_path / "importers" / "empty.py").write_text("# Long module:\n" + many)
    assert len(code_shape.problems(tmp_path)) == 2
