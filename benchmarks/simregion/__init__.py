"""A simulated region on loopback for the crawl benchmarks and the fault tests.

`model` generates N institutions (websites in the demo's CMS flavours, VK walls, Telegram
channels) with posts at realistic rates; `server` serves them all from one asyncio process
on 127.0.0.1, each website under its own host name `sNNNNN.sim.test`; `resolver` makes
those names resolve to 127.0.0.1 inside the crawl process (what an /etc/hosts entry would
do); `sources` writes the matching sources.yaml.
"""
