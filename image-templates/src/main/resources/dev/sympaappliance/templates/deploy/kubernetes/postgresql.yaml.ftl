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
