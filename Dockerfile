# The team server in a container: `docker build -t vectimus .` then `docker compose up -d`
# (compose.yaml) or `docker run -e VECTIMUS_API_KEY=secret -p 8420:8420 vectimus`.
#
# Two stages on Debian 12: `build` installs the -dev packages .ci/deps installs for the binary
# (no test or benchmark tooling), fetches simdjson's source from Debian's source package as
# .ci/deps does so the binary links fully statically, and builds it with CMake; the runtime stage
# is debian:12-slim with that one file, run as an unprivileged user. The built-in packs are
# compiled into the binary; VECTIMUS_POLICY_DIR points at a mounted folder to replace them.

FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config ca-certificates \
      tao-pegtl-dev libboost-dev libboost-container-dev libsimdjson-dev libtomlplusplus-dev \
      libcli11-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*

# simdjson's source, the same version as libsimdjson-dev (cmake/simdjson.cmake compiles it in;
# without it the binary would need Debian's shared libsimdjson, which the runtime stage lacks).
WORKDIR /tmp/simdjson
RUN sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources \
 && apt-get update \
 && apt-get source --download-only "simdjson=$(dpkg-query -W -f='${Version}' libsimdjson-dev)" \
 && mkdir -p /src/.deps \
 && tar xzf simdjson_*.orig.tar.gz --wildcards '*/singleheader/simdjson.*' '*/LICENSE' \
 && mv simdjson-*/ /src/.deps/simdjson \
 && rm -rf /tmp/simdjson /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DVECTIMUS_TESTS=OFF -DVECTIMUS_BENCH=OFF -DVECTIMUS_STATIC=ON \
 && cmake --build build --target vectimus \
 && strip build/cli/vectimus \
 && if readelf -l build/cli/vectimus | grep -q 'Requesting program interpreter'; then \
      echo "error: build/cli/vectimus is dynamically linked; the runtime stage has only the binary" >&2; \
      exit 1; \
    fi \
 && build/cli/vectimus --version

FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# ca-certificates: the approval webhook's HTTPS is verified against the system store.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /home/vectimus \
      --shell /usr/sbin/nologin vectimus \
 && mkdir -p /var/log/vectimus /srv/vectimus \
 && chown vectimus:vectimus /var/log/vectimus /srv/vectimus
COPY --from=build /src/build/cli/vectimus /usr/local/bin/vectimus

USER vectimus
# The project folder: ./vectimus.toml here is the project config layer ([server.approvals], ...).
WORKDIR /srv/vectimus
ENV HOME=/home/vectimus \
    VECTIMUS_LOG_DIR=/var/log/vectimus
EXPOSE 8420
# No curl in the slim image: bash's /dev/tcp asks /healthz, and the check passes on a 200.
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8420 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/1\\.[01] 200'"]
ENTRYPOINT ["vectimus"]
CMD ["server", "start", "--host", "0.0.0.0", "--port", "8420"]
