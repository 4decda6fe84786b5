# syntax=docker/dockerfile:1
# evload and evserve in one image. The build stage compiles them from Debian 12's packages — the
# same ones `make deps` installs (the @build section of scripts/packages.txt); the runtime stage is
# Debian slim with just the shared libraries the two binaries link, running as an unprivileged
# user. tests/deploy/check_dockerfile.py keeps both package lists true.
#
#   docker build -t gameevents .        (compose.yaml does this for you)

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential \
      cmake \
      ninja-build \
      pkg-config \
      libsimdjson-dev \
      libcli11-dev \
      libpq-dev \
      libboost1.81-dev \
      libboost-json1.81-dev \
      libboost-url1.81-dev \
      zlib1g-dev \
      libisal-dev \
      libzstd-dev \
      iso-codes \
      libjs-chart.js \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY common common
COPY etl etl
COPY server server
COPY sql sql
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGE_BUILD_TESTS=OFF -DGE_WARNINGS_AS_ERRORS=ON \
 && cmake --build build \
 && cmake --install build --prefix /opt/gameevents --strip

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpq5 \
      libsimdjson14 \
      libboost-json1.81.0 \
      libboost-url1.81.0 \
      zlib1g \
      libisal2 \
      libzstd1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin gameevents
COPY --from=build /opt/gameevents/bin/evload /opt/gameevents/bin/evserve /usr/local/bin/
USER 10001:10001
WORKDIR /tmp
EXPOSE 8086
# No default program: compose.yaml runs `evload …` as a one-shot job and `evserve` as a service.
CMD ["evserve", "--help"]
