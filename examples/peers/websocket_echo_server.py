#!/usr/bin/env python3
"""WebSocket echo server on 127.0.0.1 (python3-websockets) for the example and interop tests.

    echo_server.py <port> [<certfile> <keyfile>]   (with a certificate: wss://)

Echoes every message. Two text commands exercise the client: "ping-me" makes the server ping
and report "pong received" once the client answered; "close-me" closes with 4000 "bye".
"""
import asyncio
import ssl
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        if message == "ping-me":
            waiter = await ws.ping(b"are you there")
            await asyncio.wait_for(waiter, 5)
            await ws.send("pong received")
        elif message == "close-me":
            await ws.close(4000, "bye")
        else:
            await ws.send(message)


async def main(port, tls):
    async with websockets.serve(echo, "127.0.0.1", port, max_size=None, ping_interval=None,
                                ssl=tls):
        await asyncio.Future()


if __name__ == "__main__":
    context = None
    if len(sys.argv) >= 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
    asyncio.run(main(int(sys.argv[1]), context))
