<#macro labels component>
    app.kubernetes.io/name: sympa
    app.kubernetes.io/instance: [=domain]
    app.kubernetes.io/component: [=component]
</#macro>
<#macro selector component>
      app.kubernetes.io/name: sympa
      app.kubernetes.io/component: [=component]
</#macro>
<#macro podLabels component>
        app.kubernetes.io/name: sympa
        app.kubernetes.io/instance: [=domain]
        app.kubernetes.io/component: [=component]
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
# Kubernetes manifests of the Sympa list server for [=domain], made by
# `builder render --format kubernetes` from its spec: regenerate them rather than edit them.
#
# Images: [=image] (core, bulk, web: builder image --spec SPEC) and [=relayImage] (the front
# relay: builder image --spec SPEC --front-relay), pushed to a registry the cluster pulls from.
# Secrets, once, each holding its file under the key "value":
<#list secrets as secret>
#   kubectl create secret generic [=secret.name] --from-file=value=FILE
</#list>
# Volumes (volumes.yaml: ReadWriteMany claims shared by core, bulk and web), then this file:
#   kubectl apply -f volumes.yaml -f sympa.yaml
---
# The public MX: [=relays] front relays behind one load balancer that keeps the client's address.
apiVersion: v1
kind: Service
metadata:
  name: relay
  labels:
<@labels "relay"/>
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
<@selector "relay"/>
  ports:
    - name: smtp
      port: [=smtpPort]
      targetPort: smtp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: relay
  labels:
<@labels "relay"/>
spec:
  replicas: [=relays]
  selector:
    matchLabels:
<@selector "relay"/>
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
<@podLabels "relay"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
        - name: relay
          image: [=relayImage]
          imagePullPolicy: IfNotPresent
          ports:
            - name: smtp
              containerPort: 25
          readinessProbe:
            tcpSocket:
              port: smtp
            periodSeconds: 5
          livenessProbe:
            exec:
              command: ["postfix", "status"]
            periodSeconds: 20
            failureThreshold: 3
<@drain/>
          volumeMounts:
            - name: queue
              mountPath: /var/spool/postfix
<#list relaySecrets as secret>
            - name: [=secret.name]
              mountPath: [=secret.path]
              subPath: [=secret.file]
              readOnly: true
</#list>
<@resources "relay"/>
      volumes:
        - name: queue
          emptyDir: {}
<#list relaySecrets as secret>
        - name: [=secret.name]
          secret:
            secretName: [=secret.name]
            defaultMode: 0400
            items:
              - key: value
                path: [=secret.file]
</#list>
---
# The core: inbound mail from the relays, sympa_msg, archived, bounced, task_manager. Exactly one.
apiVersion: v1
kind: Service
metadata:
  name: [=core]
  labels:
<@labels "core"/>
spec:
  clusterIP: None
  selector:
<@selector "core"/>
  ports:
    - name: smtp
      port: 25
      targetPort: smtp
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: [=core]
  labels:
<@labels "core"/>
spec:
  serviceName: [=core]
  replicas: 1
  podManagementPolicy: OrderedReady
  selector:
    matchLabels:
<@selector "core"/>
  template:
    metadata:
      labels:
<@podLabels "core"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "core"/>
      volumes:
<@sympaVolumes false/>
  volumeClaimTemplates:
    - metadata:
        name: queue
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
---
# Distribution: bulk.pl and an outbound Postfix, [=bulk] replica<#if bulk != "1">s</#if>. A StatefulSet, not a Deployment:
# a pod's host name (bulk-0, ...) is what Sympa's spool locks name, and the pod that replaces
# another under the same name frees the packet it was sending (another host's lock is taken for
# stale only after 20 minutes); each keeps its Postfix queue in a claim of its own.
apiVersion: v1
kind: Service
metadata:
  name: bulk
  labels:
<@labels "bulk"/>
spec:
  clusterIP: None
  selector:
<@selector "bulk"/>
  ports:
    - name: smtp
      port: 25
      targetPort: smtp
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bulk
  labels:
<@labels "bulk"/>
spec:
  serviceName: bulk
  replicas: [=bulk]
  podManagementPolicy: Parallel
  selector:
    matchLabels:
<@selector "bulk"/>
  template:
    metadata:
      labels:
<@podLabels "bulk"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "bulk"/>
      volumes:
<@sympaVolumes false/>
  volumeClaimTemplates:
    - metadata:
        name: queue
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
<#if web != "0">
---
# The web interface: nginx and WWSympa, [=web] replica<#if web != "1">s</#if>, behind your TLS proxy or Ingress.
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
<@labels "web"/>
spec:
  selector:
<@selector "web"/>
  ports:
    - name: http
      port: [=httpPort]
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
<@labels "web"/>
spec:
  replicas: [=web]
  selector:
    matchLabels:
<@selector "web"/>
  template:
    metadata:
      labels:
<@podLabels "web"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "web"/>
      volumes:
<@sympaVolumes true/>
</#if>
<#if postgresqlImage??>
---
# Sympa's database, in the deployment (an external server instead: leave deployment.postgresql_image out).
apiVersion: v1
kind: Service
metadata:
  name: [=dbHost]
  labels:
<@labels "postgresql"/>
spec:
  clusterIP: None
  selector:
<@selector "postgresql"/>
  ports:
    - name: postgresql
      port: 5432
      targetPort: postgresql
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: [=dbHost]
  labels:
<@labels "postgresql"/>
spec:
  serviceName: [=dbHost]
  replicas: 1
  selector:
    matchLabels:
<@selector "postgresql"/>
  template:
    metadata:
      labels:
<@podLabels "postgresql"/>
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: postgresql
          image: [=postgresqlImage]
          imagePullPolicy: IfNotPresent
          env:
            - name: POSTGRES_DB
              value: [=dbName]
            - name: POSTGRES_USER
              value: [=dbUser]
            - name: POSTGRES_PASSWORD_FILE
              value: /run/secrets/[=dbPasswordSecret]
          ports:
            - name: postgresql
              containerPort: 5432
          readinessProbe:
            tcpSocket:
              port: postgresql
            periodSeconds: 5
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
            - name: password
              mountPath: /run/secrets/[=dbPasswordSecret]
              subPath: password
              readOnly: true
<@resources "postgresql"/>
      volumes:
        - name: password
          secret:
            secretName: [=dbPasswordSecret]
            items:
              - key: value
                path: password
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 5Gi
---
# Only core, bulk and web reach PostgreSQL.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: [=dbHost]-from-sympa
  labels:
<@labels "postgresql"/>
spec:
  podSelector:
    matchLabels:
<@selector "postgresql"/>
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - podSelector:
            matchExpressions:
              - key: app.kubernetes.io/component
                operator: In
                values: ["core", "bulk", "web"]
      ports:
        - protocol: TCP
          port: 5432
</#if>
---
# Only the relays reach the core's port 25 (it serves nothing else).
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: [=core]-smtp-from-relays
  labels:
<@labels "core"/>
spec:
  podSelector:
    matchLabels:
<@selector "core"/>
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: sympa
              app.kubernetes.io/component: relay
      ports:
        - protocol: TCP
          port: 25
