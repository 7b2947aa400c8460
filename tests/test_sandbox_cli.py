"""`acecoder execute` through a real subprocess: JSONL in, JSONL out in input order, clear input errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ACECODER = Path(sys.executable).with_name("acecoder")
ADD = "def f(x):\n    return x + 1\n"


def execute(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ACECODER), "execute", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def lines(*jobs: dict) -> str:
    return "".join(json.dumps(job) + "\n" for job in jobs)


def test_stdin_to_stdout_in_input_order():
    jobs = [
        {"id": "slow", "program": "import time\ntime.sleep(0.5)\n" + ADD, "tests": ["assert f(1) == 2"]},
        {"id": "fail", "program": ADD, "tests": ["assert f(1) == 3"]},
        {"id": "loop", "program": ADD, "tests": ["while True: pass", "assert f(0) == 1"], "timeout_s": 0.5},
        {"id": "calls", "program": ADD, "tests": [], "calls": ["f(41)", "f"]},
        {"id": "hog", "program": "x = bytearray(2 * 1024**3)\n", "tests": ["assert True"], "memory_mb": 256},
    ]
    done = execute("-", "-o", "-", "--workers", "2", stdin=lines(*jobs) + "\n")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in results] == [job["id"] for job in jobs]
    assert [r["status"] for r in results] == ["pass", "fail", "timeout", "error", "memory"]
    assert [t["status"] for t in results[2]["tests"]] == ["timeout", "pass"]
    assert [c["value"] for c in results[3]["calls"]] == ["42", None]
    assert results[3]["calls"][1]["error_type"] == "UnserializableValue"


def test_files_and_limits_from_options_and_settings(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(lines({"id": "a", "program": "import time\n", "tests": ["time.sleep(0.6)"]}))
    target = tmp_path / "out.jsonl"
    quick = execute(
        str(source), "-o", str(target), "--timeout", "0.3", "--memory-mb", "512", "--workers", "1"
    )
    assert quick.returncode == 0, quick.stderr
    assert json.loads(target.read_text())["status"] == "timeout"
    relaxed = execute(
        str(source),
        "-o",
        str(target),
        env={"ACECODER_SANDBOX_TIMEOUT_S": "3", "ACECODER_SANDBOX_WORKERS": "1"},
    )
    assert relaxed.returncode == 0 and json.loads(target.read_text())["status"] == "pass"


def test_tests_share_a_process_unless_forked_per_test():
    counter = "seen = []\ndef f():\n    seen.append(1)\n    return len(seen)\n"
    job = {"id": "c", "program": counter, "tests": ["assert f() == 1", "assert f() == 2"]}
    shared = execute("-", "-o", "-", "--workers", "1", stdin=lines(job))
    forked = execute("-", "-o", "-", "--workers", "1", "--fork-per-test", stdin=lines(job))
    assert shared.returncode == 0 and forked.returncode == 0, shared.stderr + forked.stderr
    assert [t["status"] for t in json.loads(shared.stdout)["tests"]] == ["pass", "pass"]
    assert [t["status"] for t in json.loads(forked.stdout)["tests"]] == ["pass", "fail"]


def test_bad_input_names_file_line_and_field(tmp_path):
    source = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "a", "program": ADD, "tests": ["assert f(1) == 2"]})
    source.write_text(good + "\n" + json.dumps({"id": "b", "program": ADD, "tests": "assert True"}) + "\n")
    done = execute(str(source), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 2
    assert f"{source}:2: field 'tests'" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()  # nothing ran
    for text, expected in (
        (good + "\n{oops\n", "<stdin>:2: not valid JSON"),
        ('{"id": "a", "tests": []}\n', "<stdin>:1: field 'program': is missing"),
        ('{"id": 3, "program": "", "tests": []}\n', "<stdin>:1: field 'id'"),
        ("[1, 2]\n", "<stdin>:1: field '<line>'"),
    ):
        done = execute("-", "-o", "-", stdin=text)
        assert done.returncode == 2 and expected in done.stderr, done.stderr
    missing = execute(str(tmp_path / "nowhere.jsonl"), "-o", "-")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_help_explains_every_option_without_loading_torch():
    done = execute("--help")
    assert done.returncode == 0
    for option in (
        "INPUT",
        "--output",
        "--workers",
        "--timeout",
        "--program-timeout",
        "--memory-mb",
        "--fork-per-test",
    ):
        assert option in done.stdout
    probe = (
        "import sys\nfrom acecoder.cli.main import app\nsys.argv = ['acecoder', 'execute', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\nprint('torch' in sys.modules, file=sys.stderr)\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert loaded.stderr.strip().endswith("False"), loaded.stderr
