"""The multipart repair passes bodies through unchanged, however the body and the reads are cut."""

import io

import pytest

from bluesky.multipart import HeaderRepairingStream

BODY = (
    b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\n--XyZ is not a boundary here\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="'
    + "佐证材料".encode("gb18030")
    + b'.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 \xff\xfe binary\r\n--XyZ--\r\n'
)


class Trickle(io.RawIOBase):
    """A request body that hands out at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step = data, step

    def read(self, size=-1):
        size = self.step if size is None or size < 0 else min(size, self.step)
        out, self.data = self.data[:size], self.data[size:]
        return out


@pytest.mark.parametrize("step", [1, 2, 3, 7, 64, 100_000])
@pytest.mark.parametrize("read_size", [1, 5, 4096])
def test_only_the_headers_change_however_the_stream_is_cut(step, read_size):
    stream = HeaderRepairingStream(Trickle(BODY, step), b"XyZ")
    out = b"".join(iter(lambda: stream.read(read_size), b""))
    assert out == BODY.replace("佐证材料".encode("gb18030"), "佐证材料".encode())
