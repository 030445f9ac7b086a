<#-- Shared by the services' templates, as a Helm chart's _helpers.tpl. -->
<#macro resources service>
      resources:
        reservations:
          memory: [=memory[service].request?c]M
        limits:
          memory: [=memory[service].limit?c]M
</#macro>
<#-- The image's HEALTHCHECK, with room for a first start that waits for PostgreSQL and makes the
     schema and the spec's lists (Swarm replaces a task still unhealthy after its start period). -->
<#macro sympaHealth>
    healthcheck:
      test: ["CMD", "[=healthCheck]"]
      interval: 10s
      timeout: 30s
      retries: 3
      start_period: 600s
</#macro>
<#macro sympaSecrets>
<#list secrets as secret>
      - source: [=secret.name]
        target: [=secret.file]
        mode: 0400
</#list>
</#macro>
