"""Runs Python code in a running Jupyter kernel and prints what it printed, as JSON.

    python run_in_kernel.py CONNECTION_FILE CODE

The notebook test (xtask/tests/notebook_browser.rs) executes code this way in the kernel of the
notebook JupyterLab opened, as a second client of the same kernel: the widget's comm messages
reach the page as they would from a cell. Prints {"stdout": ..., "error": null | "Name: value"}.
"""

import json
import sys

from jupyter_client import BlockingKernelClient


def main() -> None:
    connection, code = sys.argv[1], sys.argv[2]
    client = BlockingKernelClient(connection_file=connection)
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        out, error = [], None

        def output(msg: dict) -> None:
            nonlocal error
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"

        reply = client.execute_interactive(code, timeout=60, output_hook=output, allow_stdin=False)
        if reply["content"]["status"] != "ok" and error is None:
            error = f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
        print(json.dumps({"stdout": "".join(out), "error": error}))
    finally:
        client.stop_channels()


if __name__ == "__main__":
    main()
