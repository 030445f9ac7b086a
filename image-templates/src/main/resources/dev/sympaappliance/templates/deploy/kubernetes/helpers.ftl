<#-- Shared by the components' templates, as a Helm chart's _helpers.tpl. -->
<#-- The labels of a component's objects at INDENT spaces; a selector leaves out the instance. -->
<#macro labels component indent=4 selector=false>
<#local pad = ""?left_pad(indent)>
[=pad]app.kubernetes.io/name: sympa
<#if !selector>
[=pad]app.kubernetes.io/instance: [=domain]
</#if>
[=pad]app.kubernetes.io/component: [=component]
</#macro>
<#macro selector component>
<@labels component 6 true/>
</#macro>
<#macro podLabels component>
<@labels component 8/>
</#macro>
<#macro resources service>
          resources:
            requests:
              memory: [=memory[service].request?c]Mi
            limits:
              memory: [=memory[service].limit?c]Mi
</#macro>
<#-- The image's HEALTHCHECK, as Kubernetes runs it: ready when it passes; restarted after a
     minute of failures (it waits for PostgreSQL and makes the schema at the first start). -->
<#macro sympaProbes>
          startupProbe:
            exec:
              command: ["[=healthCheck]"]
            periodSeconds: 5
            timeoutSeconds: 30
            failureThreshold: 120
          readinessProbe:
            exec:
              command: ["[=healthCheck]"]
            periodSeconds: 10
            timeoutSeconds: 30
            failureThreshold: 2
          livenessProbe:
            exec:
              command: ["[=healthCheck]"]
            periodSeconds: 20
            timeoutSeconds: 30
            failureThreshold: 3
</#macro>
<#macro sympaContainer service>
        - name: [=service]
          image: [=image]
          imagePullPolicy: IfNotPresent
          env:
            - name: SYMPA_APPLIANCE_SERVICE
              value: [=service]
          ports:
            - name: smtp
              containerPort: 25
<#if service == "web">
            - name: http
              containerPort: 80
</#if>
          volumeMounts:
            - name: queue
              mountPath: /var/spool/postfix
            - name: sympa-data
              mountPath: /var/lib/sympa
            - name: sympa-spools
              mountPath: /var/spool/sympa
<#list secrets as secret>
            - name: [=secret.name]
              mountPath: [=secret.path]
              subPath: [=secret.file]
              readOnly: true
</#list>
<@sympaProbes/>
<@drain/>
<@resources service/>
</#macro>
<#macro sympaVolumes queue>
<#if queue>
        - name: queue
          emptyDir: {}
</#if>
        - name: sympa-data
          persistentVolumeClaim:
            claimName: sympa-data
        - name: sympa-spools
          persistentVolumeClaim:
            claimName: sympa-spools
<#list secrets as secret>
        - name: [=secret.name]
          secret:
            secretName: [=secret.name]
            defaultMode: 0400
            items:
              - key: value
                path: [=secret.file]
</#list>
</#macro>
<#-- Before a pod stops: have Postfix send what it holds (up to 25 s), so that a queue on an
     emptyDir is empty when the pod goes. -->
<#macro drain>
          lifecycle:
            preStop:
              exec:
                command: ["/bin/sh", "-c", "postqueue -f; for i in $(seq 25); do [ -z \"$(postqueue -j)\" ] && exit 0; sleep 1; done"]
</#macro>
