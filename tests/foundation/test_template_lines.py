"""Templates keep their lines short where a line break cannot change the page (scripts/template_lines.py).

The first test holds the templates to it; the others show what it breaks and what it must leave alone.
"""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("template_lines", ROOT / "scripts" / "template_lines.py")
template_lines = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(template_lines)

CELLS = "".join(f"<td>{{{{ row.figure_{i} }}}}</td>" for i in range(12))


def test_no_template_line_over_160_characters_could_be_broken():
    assert template_lines.breakable_long_lines(ROOT) == []


def test_a_long_row_of_cells_is_broken_one_cell_per_line_with_only_white_space_moved():
    line = f"    <tr>{CELLS}</tr>"
    assert len(line) > 160
    broken = template_lines.broken(line)
    assert all(len(part) <= 160 for part in broken.split("\n"))
    assert broken.split("\n")[1] == "    <td>{{ row.figure_0 }}</td>"
    assert re.sub(r"\s", "", broken) == re.sub(r"\s", "", line)


def test_a_long_tag_is_broken_between_its_attributes_not_inside_quoted_values():
    line = '<a href="{% url "x" %}" class="btn primary wide" hx-get="/a/b/c/" hx-target="#here" ' + (
        'title="a title with spaces that must stay whole" data-confirm="确认？ 是的" aria-label="more words">go</a>'
    )
    parts = template_lines.broken(line).split("\n")
    assert parts[0] == "<a" and '    title="a title with spaces that must stay whole"' in parts


def test_glued_inline_text_translations_and_pre_are_left_long():
    glued = "{% if a %}" + "<span>x</span>{{ b }}" * 12 + "{% endif %}"
    message = "{% blocktranslate %}" + "说明 <em>这里</em> " * 20 + "{% endblocktranslate %}"
    pre = "<pre>" + "x " * 100 + "</pre>"
    for line in (glued, message, pre):
        assert len(line) > 160 and template_lines.broken(line) == line
