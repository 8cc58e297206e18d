#!/usr/bin/env bash
# Runs each service's one-off migration task (migrations.tf) and waits for it: a rollout goes on only when
# every migration exited 0. Needs the AWS CLI and the Terraform outputs of deploy/ecs.
set -euo pipefail
cd "$(dirname "$0")"
cluster=$(terraform output -raw ecs_cluster_name)
subnets=$(terraform output -json private_subnet_ids | jq -r 'join(",")')
for service in $(terraform output -json migration_task_definitions | jq -r 'keys[]'); do
  task_definition=$(terraform output -json migration_task_definitions | jq -r --arg s "$service" '.[$s]')
  security_group=$(terraform output -json service_security_group_ids | jq -r --arg s "$service" '.[$s]')
  task=$(aws ecs run-task --cluster "$cluster" --launch-type FARGATE --task-definition "$task_definition" \
    --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=DISABLED}" \
    --query 'tasks[0].taskArn' --output text)
  aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"
  code=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" --query "tasks[0].containers[?name=='migrate'].exitCode | [0]" --output text)
  [ "$code" = "0" ] || { echo "migration of $service failed (exit $code)" >&2; exit 1; }
done
