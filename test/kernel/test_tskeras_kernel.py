"""Jupyter's own kernel test suite (jupyter_kernel_test) against the tskeras kernel.

Run with JUPYTER_PATH pointing at a directory whose kernels/ holds the
tskeras kernelspec (test/kernel/jupyter-kernel-test.test.ts does this).
"""
import os
import unittest

import jupyter_kernel_test


class TskerasKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("TSKERAS_KERNEL_NAME", "tskeras")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "const zzAlpha = 1, zzBeta = 2;\nzz", "matches": {"zzAlpha", "zzBeta"}},
        {"text": "Math.PI", "matches": {"PI"}},
        {"text": "[1, 2].fla", "matches": {"flat", "flatMap"}},
    ]

    complete_code_samples = ["1 + 1", "const x = 1;\nconsole.log(x)", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {\n  console.log(1)", "`multi"]
    invalid_code_samples = ["let 1x = 2", "x = )", "}{"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]

    code_display_data = [
        {"code": 'display({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>hi</b>" }; } })', "mime": "text/html"},
        {"code": 'display("plain text")', "mime": "text/plain"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("**md**")', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
