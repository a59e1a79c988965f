"""The pack's `onboarding` section is typed and strict like the other sections: an unknown key or a
wrong type is an error with the file and line; left out, the quiz is voluntary with 5 questions."""

from __future__ import annotations

import pytest

from somevahti.errors import PackError
from somevahti.policy import load_pack
from tests.helpers import write_pack

HEAD = "id: sections\nextends: kela\n"


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "onboarding:\n  quiz_requred: true\n",
            r"pack\.yaml:5: onboarding\.quiz_requred: Extra inputs are not permitted",
        ),
        (
            "onboarding:\n  quiz_required: 'yes'\n",
            r"pack\.yaml:5: onboarding\.quiz_required: Input should be a valid boolean",
        ),
        (
            "onboarding:\n  pass_mark: 80\n",
            r"pack\.yaml:5: onboarding\.pass_mark: Input should be less than or equal to 1",
        ),
        (
            "onboarding:\n  pass_mark: '0.8'\n",
            r"pack\.yaml:5: onboarding\.pass_mark: Input should be a valid number",
        ),
        (
            "onboarding:\n  questions: 0\n",
            r"pack\.yaml:5: onboarding\.questions: Input should be greater than or equal to 1",
        ),
        (
            "onboarding:\n  questions: 2.5\n",
            r"pack\.yaml:5: onboarding\.questions: Input should be a valid integer",
        ),
    ],
)
def test_a_broken_onboarding_section_names_file_line_and_field(tmp_path, tail, expected):
    path = write_pack(tmp_path, HEAD + "organisation: {name: Testi}\n" + tail)
    with pytest.raises(PackError, match=expected):
        load_pack(str(path))


def test_defaults_and_the_seed_pack_that_requires_the_quiz(tmp_path):
    pack = load_pack(str(write_pack(tmp_path, HEAD + "organisation: {name: Testi}\n")))
    assert (pack.onboarding.quiz_required, pack.onboarding.pass_mark, pack.onboarding.questions) == (
        False,
        0.8,
        5,
    )
    assert load_pack("kirkkonummi").onboarding.quiz_required is True
    tuned = load_pack(
        str(
            write_pack(
                tmp_path,
                HEAD + "organisation: {name: Testi}\n"
                "onboarding: {quiz_required: true, pass_mark: 1, questions: 3}\n",
                "b.yaml",
            )
        )
    )
    assert (tuned.onboarding.quiz_required, tuned.onboarding.pass_mark, tuned.onboarding.questions) == (
        True,
        1,
        3,
    )
