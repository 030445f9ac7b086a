  relay:
    image: [=relayImage]
    ports:
      - target: 25
        published: [=smtpPort]
        protocol: tcp
        mode: host
    volumes:
      - relay-queue:/var/spool/postfix
<#if relaySecrets?has_content>
    secrets:
<#list relaySecrets as secret>
      - source: [=secret.name]
        target: [=secret.file]
        mode: 0400
</#list>
</#if>
    networks: [mx]
    healthcheck:
      test: ["CMD", "postfix", "status"]
      interval: 10s
      timeout: 5s
      retries: 3
    stop_grace_period: 30s
    deploy:
      replicas: [=relays]
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
      update_config:
        parallelism: 1
        delay: 5s
        order: stop-first
        failure_action: rollback
<@resources "relay"/>
