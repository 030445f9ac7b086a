#!/bin/sh
# s6 service: [=preload] loads Sympa's modules once and forks each of Sympa's daemons
# when its service asks (over [=preloadSocket]), so that they share their compiled
# code (a restart compiles Sympa once instead of once per daemon). If it stops, each daemon's
# service stops its daemon and asks again once it is back.
exec 2>&1
exec [=preload] [=preloadSocket]
