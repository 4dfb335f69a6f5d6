"""Every reader-facing text of the exchange files, in English and Japanese."""

from __future__ import annotations

from auditkit.models.checklist import AnswerType, Question
from auditkit.models.common import Lang

INSTRUCTIONS_SHEET = "Instructions 記入方法"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"

HEADERS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "#",
        "Question",
        "Help",
        "Allowed answers",
        "Answer",
        "Comment",
        "Evidence reference",
        "id",
        "fingerprint",
    ),
    "ja": (
        "#",
        "質問",
        "補足",
        "回答方法",
        "回答",
        "コメント",
        "エビデンス参照",
        "id",
        "fingerprint",
    ),
}

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("Security questionnaire", "セキュリティ質問票"),
    ("How to fill in this workbook", "記入方法"),
    (
        "1. Each sheet is one security domain; answer every question in the Answer column.",
        "1. シートごとに1つのセキュリティ分野です。"
        "すべての質問について「回答」列に記入してください。",
    ),
    (
        "2. Choice questions have a drop-down list: pick one of its values. Questions with several "
        "allowed values: type the values shown in 'Allowed answers', separated by commas.",
        "2. 選択式の質問はドロップダウンから選んでください。複数選択の質問は「回答方法」に示す値を"
        "カンマ区切りで入力してください。",
    ),
    (
        "3. Numbers and dates: type a number, or a date as YYYY-MM-DD. Where allowed, N/A means "
        "'not applicable'.",
        "3. 数値・日付の質問は数値、または YYYY-MM-DD 形式の日付を入力してください。許可されている"
        "場合は「該当なし」と入力できます。",
    ),
    (
        "4. Use Comment for explanations and Evidence reference for the name of the document, "
        "report or URL that supports your answer.",
        "4. 補足説明は「コメント」列に、回答の裏付けとなる文書名・報告書名・URLは「エビデンス参照」"
        "列に記入してください。",
    ),
    (
        "5. Questions marked 'Answer only if ...' depend on an earlier answer; leave them blank "
        "when the condition does not hold.",
        "5. 「…の場合のみ回答」と記載された質問は前の回答に依存します。条件に当てはまらない場合は"
        "空欄のままにしてください。",
    ),
    (
        "6. The question, help and allowed-answer columns are locked and must not be edited. "
        "Do not add, delete, move or rename rows, sheets or columns. "
        "Protection has no password; it "
        "prevents accidents only.",
        "6. 質問・補足・回答方法の列は保護されており、編集しないでください。行・シート・列の追加、"
        "削除、移動、名前の変更もしないでください(保護にパスワードはありません)。",
    ),
    (
        "7. Type plain values, not formulas: cells containing formulas are refused on import.",
        "7. 数式は使わず値を入力してください。数式を含むセルは取り込み時に拒否されます。",
    ),
    (
        "8. A blank cell leaves the answer we already have unchanged.",
        "8. 空欄のセルは、既存の回答を変更しません。",
    ),
)

_ALLOWED: dict[str, tuple[str, str]] = {
    "choice": ("Pick one from the list:", "リストから1つ選択:"),
    "multi": (
        "One or more of these values, separated by commas:",
        "次の値から1つ以上(カンマ区切り):",
    ),
    "number": ("A number (0 or more)", "数値(0以上)"),
    "date": ("A date YYYY-MM-DD, not after {day}", "日付 YYYY-MM-DD({day}以前)"),
    "text": ("Free text", "自由記述"),
    "evidence": ("Name of the document you will provide", "提出する文書の名前"),
    "na": ("or N/A", "または 該当なし"),
}


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "ja" else pair[0]


def na_word(lang: Lang) -> str:
    return "該当なし" if lang == "ja" else "N/A"


def choice_labels(question: Question, lang: Lang) -> list[str]:
    """The drop-down entries of a single-choice question, N/A last where allowed."""
    labels = [c.label.get(lang) for c in question.choices or []]
    return [*labels, na_word(lang)] if question.allow_na else labels


def allowed(question: Question, lang: Lang, as_of_iso: str) -> str:
    """The 'Allowed answers' cell: what a valid answer looks like."""
    kind = question.type
    if kind is AnswerType.MULTI_CHOICE:
        lines = [pick(_ALLOWED["multi"], lang)]
        lines += [f"- {c.value}: {c.label.get(lang)}" for c in question.choices or []]
    elif question.choices:
        lines = [pick(_ALLOWED["choice"], lang)]
        lines += [f"- {c.label.get(lang)}" for c in question.choices]
    elif kind is AnswerType.NUMBER:
        unit = f" ({question.unit.get(lang)})" if question.unit else ""
        lines = [pick(_ALLOWED["number"], lang) + unit]
    elif kind is AnswerType.DATE:
        lines = [pick(_ALLOWED["date"], lang).format(day=as_of_iso)]
    elif kind is AnswerType.EVIDENCE:
        lines = [pick(_ALLOWED["evidence"], lang)]
    else:
        lines = [pick(_ALLOWED["text"], lang)]
    if question.allow_na and kind is not AnswerType.TEXT:
        na = pick(_ALLOWED["na"], lang)
        lines.append(na if question.choices is None else f"- {na_word(lang)}")
    return "\n".join(lines)


def answer_test(number: int, question_id: str, values: list[str], lang: Lang) -> str:
    shown = " / ".join(f'"{v}"' for v in values)
    if lang == "ja":
        return f"#{number} ({question_id}) が {shown}"
    return f"#{number} ({question_id}) is {shown}"


def join(parts: list[str], word: str, lang: Lang) -> str:
    glue = {"and": (" and ", " かつ "), "or": (" or ", " または ")}[word]
    return pick(glue, lang).join(parts)


def negate(part: str, lang: Lang) -> str:
    return f"({part}) ではない" if lang == "ja" else f"not ({part})"


def only_if(condition: str, lang: Lang) -> str:
    if condition.startswith("(") and condition.endswith(")"):
        condition = condition[1:-1]
    if lang == "ja":
        return f"次の場合のみ回答: {condition}"
    return f"Answer only if {condition}."


def help_text(question: Question, condition: str | None, lang: Lang) -> str:
    parts = [question.help.get(lang)] if question.help else []
    if condition:
        parts.append(condition)
    return "\n".join(parts)
