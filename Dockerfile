# critcare-cds container image: Maven build, then a JRE runtime running as a non-root user.
# docker build -t critcare-cds . && docker run -p 8080:8080 -v critcare-data:/app/data critcare-cds

FROM eclipse-temurin:17-jdk AS build
# Node and npm build the SMART app (src/main/app) during the Maven build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src src
RUN ./mvnw -q -B -DskipTests package \
 && java -Djarmode=tools -jar target/critcare-cds-*-SNAPSHOT.jar extract --destination /app/target/app \
 && mv /app/target/app/critcare-cds-*.jar /app/target/app/critcare-cds.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 critcare && useradd --system --uid 10001 --gid critcare --home /app critcare
WORKDIR /app
COPY --from=build /app/target/app target/app
COPY run.sh ./
COPY cql cql
COPY fhir-resources fhir-resources
COPY examples examples
# The class-data-sharing archive is made here, with the JDK the container runs (a training start).
RUN ./run.sh --prepare && mkdir data && chown -R critcare:critcare /app
USER critcare
ENV CDS_DATA_DIR=/app/data
# secured by default (README, Security): configure issuers and CDS clients in /app/application.yaml;
# CDS_SECURITY_ENABLED=false opts out. Listening on all interfaces is the container's business.
ENV CDS_SECURITY_ENABLED=true SERVER_ADDRESS=0.0.0.0
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /actuator/health/readiness HTTP/1.0\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'
ENTRYPOINT ["./run.sh"]
