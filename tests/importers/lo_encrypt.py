"""Save files with an open password through LibreOffice's UNO bridge (run by the system python3).

Usage: python3 lo_encrypt.py PROFILE_DIR PASSWORD SOURCE TARGET FILTER [SOURCE TARGET FILTER …]

The tests need really encrypted .doc/.xls files, as Word/WPS/Excel write them;
the command line ``--convert-to`` cannot set a password, so this starts one
headless LibreOffice with its own profile, stores each file with the password
through UNO, and stops it again.
"""

import contextlib
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def main(profile, password, *jobs):
    pipe = f"bluesky_encrypt_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.abspath(profile))}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(300):
            try:
                remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        for source, target, filter_name in zip(jobs[0::3], jobs[1::3], jobs[2::3]):
            url = uno.systemPathToFileUrl(os.path.abspath(source))
            document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            document.storeToURL(
                uno.systemPathToFileUrl(os.path.abspath(target)),
                (prop("FilterName", filter_name), prop("Password", password)),
            )
            document.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as LibreOffice exits
            desktop.terminate()
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            os.killpg(office.pid, 9)
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:])
