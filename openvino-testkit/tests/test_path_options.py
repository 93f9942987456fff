"""``--ov-corpus DIR`` (a space before the value) makes pytest take DIR for a test path
when it picks its rootdir and ini file: the plugin refuses such a run instead of letting a
configuration beside DIR shrink it; the ``--ov-corpus=DIR`` form is unaffected."""

from __future__ import annotations

import subprocess
import sys


def _collect(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "--pyargs", "openvino_testkit", "--ov-device", "TEMPLATE",
                           "--co", "-q", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_space_form_that_moves_the_rootdir_is_a_usage_error(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # what the trial met: a configuration beside the folder that shrinks the run
    (corpus / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-k Softmax"\n')
    work = tmp_path / "work"
    work.mkdir()
    proc = _collect(work, "--ov-corpus", str(corpus))
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert f"write --ov-corpus={corpus}" in proc.stderr
    xfails = corpus / "xfails.txt"
    xfails.write_text("")
    proc = _collect(work, "--ov-xfails", str(xfails))
    assert proc.returncode == 4 and f"--ov-xfails={xfails}" in proc.stderr

    proc = _collect(work, f"--ov-corpus={corpus}", "-k", "Softmax or Relu")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Relu" in proc.stdout  # the addopts beside the corpus were not read
