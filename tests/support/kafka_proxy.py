"""A TCP proxy in front of one plaintext Kafka broker that can answer Metadata with no brokers.

A broker in controlled shutdown sometimes answers a Metadata request with an empty broker
list; librdkafka then decommissions every broker it knew and never asks again
(librdkafka#5301). That window is a few milliseconds wide, so a test cannot open it at will by
stopping a broker. Through this proxy it can: every Metadata response names the proxy as the
broker (so all of a client's traffic passes through it), and while `empty` is set the broker
list is sent empty. Everything else is forwarded byte for byte.

Only what librdkafka speaks to Kafka 4 is parsed: request header v1/v2 and Metadata v9+
(flexible versions); anything older fails loudly.
"""
from __future__ import annotations

import socket
import struct
import threading

PRODUCE, FETCH, METADATA, FIND_COORDINATOR, API_VERSIONS = 0, 1, 3, 10, 18
FIRST_FLEXIBLE = 9
# Fetch v16+ and Produce v10+ answer with the leader's address (KIP-951), which a client takes
# over: offered no higher than these, every address it learns comes from Metadata.
CAPS = {FETCH: 15, PRODUCE: 9}


def _uvarint(buf: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def _put_uvarint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _skip_tags(buf: bytes, i: int) -> int:
    count, i = _uvarint(buf, i)
    for _ in range(count):
        _, i = _uvarint(buf, i)
        size, i = _uvarint(buf, i)
        i += size
    return i


def _compact_string(value: str) -> bytes:
    raw = value.encode()
    return _put_uvarint(len(raw) + 1) + raw


def rewrite_metadata(payload: bytes, port: int, empty: bool) -> bytes:
    """A Metadata response (v9+) whose brokers are this proxy (same node ids), or none."""
    i = _skip_tags(payload, 4)                 # correlation id, response header v1's tags
    head, i = payload[:i + 4], i + 4           # ... and throttle_time_ms
    n, i = _uvarint(payload, i)
    nodes = []
    for _ in range(max(n - 1, 0)):
        nodes.append(payload[i:i + 4])
        i += 4
        length, i = _uvarint(payload, i)       # host
        i += length - 1
        i += 4                                 # port
        length, i = _uvarint(payload, i)       # rack (0: null)
        i += max(length - 1, 0)
        i = _skip_tags(payload, i)
    brokers = [] if empty else [node + _compact_string("127.0.0.1") + struct.pack(">i", port) + b"\x00\x00"
                                for node in nodes]
    return head + _put_uvarint(len(brokers) + 1) + b"".join(brokers) + payload[i:]


def cap_versions(payload: bytes) -> bytes:
    """An ApiVersions response (v3; response header v0) offering no version above CAPS."""
    out = bytearray(payload)
    n, i = _uvarint(payload, 4 + 2)           # correlation id, error_code
    for _ in range(max(n - 1, 0)):
        api_key, _, high = struct.unpack(">hhh", payload[i:i + 6])
        if api_key in CAPS and high > CAPS[api_key]:
            out[i + 4:i + 6] = struct.pack(">h", CAPS[api_key])
        i = _skip_tags(payload, i + 6)
    return bytes(out)


def rewrite_coordinator(payload: bytes, port: int, version: int) -> bytes:
    """A FindCoordinator response (v1-v2) naming this proxy as the coordinator: a client's
    group traffic must not bypass it either (its connection could answer Metadata)."""
    i = 4 + 4 + 2                              # correlation id, throttle_time_ms, error_code
    length = struct.unpack(">h", payload[i:i + 2])[0]
    i += 2 + max(length, 0)                    # error_message (-1: null)
    node, i = payload[i:i + 4], i + 4
    length = struct.unpack(">h", payload[i:i + 2])[0]
    i += 2 + length + 4                        # host, port
    host = b"127.0.0.1"
    return payload[:i - 4 - 2 - length - 4] + node + struct.pack(">h", len(host)) + host + \
        struct.pack(">i", port) + payload[i:]


def _read_frame(sock: socket.socket) -> bytes | None:
    head = _read_exact(sock, 4)
    if head is None:
        return None
    return _read_exact(sock, struct.unpack(">i", head)[0])


def _read_exact(sock: socket.socket, n: int) -> bytes | None:
    out = bytearray()
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            return None
        out += chunk
    return bytes(out)


class MetadataProxy:
    """proxy = MetadataProxy("127.0.0.1:9092"); clients bootstrap to proxy.address."""

    def __init__(self, upstream: str):
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.empty = False                     # answer Metadata with no brokers, then go down
        self.down = False                      # connections closed at once
        self._open: list[socket.socket] = []
        self.emptied = 0                       # Metadata responses sent empty
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, name="kafka-proxy", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            broker = socket.create_connection(self.upstream)
            self._open += [client, broker]
            pending: dict[int, tuple[int, int]] = {}        # correlation id -> (api key, version)
            threading.Thread(target=self._requests, args=(client, broker, pending), daemon=True).start()
            threading.Thread(target=self._responses, args=(broker, client, pending), daemon=True).start()

    def _requests(self, client: socket.socket, broker: socket.socket, pending: dict) -> None:
        try:
            while (frame := _read_frame(client)) is not None:
                api_key, version, correlation = struct.unpack(">hhi", frame[:8])
                pending[correlation] = (api_key, version)
                broker.sendall(struct.pack(">i", len(frame)) + frame)
        except OSError:
            pass
        finally:
            broker.close()

    def _responses(self, broker: socket.socket, client: socket.socket, pending: dict) -> None:
        try:
            while (frame := _read_frame(broker)) is not None:
                api_key, version = pending.pop(struct.unpack(">i", frame[:4])[0], (None, None))
                if api_key == METADATA:
                    if version < FIRST_FLEXIBLE:
                        raise AssertionError(f"Metadata v{version}: the proxy reads v{FIRST_FLEXIBLE}+ only")
                    empty = self.empty
                    frame = rewrite_metadata(frame, self.port, empty)
                    if empty:
                        # As a broker in controlled shutdown: the answer, then it is gone.
                        self.emptied += 1
                        self.down = True
                        client.sendall(struct.pack(">i", len(frame)) + frame)
                        self._close_all()
                        return
                elif api_key == API_VERSIONS:
                    if version != 3:
                        raise AssertionError(f"ApiVersions v{version}: the proxy reads v3 only")
                    frame = cap_versions(frame)
                elif api_key == FIND_COORDINATOR:
                    if version not in (1, 2):
                        raise AssertionError(f"FindCoordinator v{version}: the proxy reads v1-v2 only")
                    frame = rewrite_coordinator(frame, self.port, version)
                client.sendall(struct.pack(">i", len(frame)) + frame)
        except OSError:
            pass
        finally:
            client.close()

    def _close_all(self) -> None:
        for sock in self._open:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self._open.clear()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
