# ion-mock in a container: build with the Rust image, run the one binary as a non-root user.
# The database lives in the /data volume; fixtures are compiled in (override with
# ION_MOCK_FIXTURES). Inside the container it listens on 0.0.0.0:8080 so a port mapping
# reaches it; publish it on the host's loopback (see docker-compose.yml).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin ion-mock

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --create-home --home-dir /data ion-mock
COPY --from=build /src/target/release/ion-mock /usr/local/bin/ion-mock
USER ion-mock
WORKDIR /data
ENV ION_MOCK_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///data/ion-mock.db
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["ion-mock"]
