# The gateway scales on CPU; rewrap-worker on its Kafka consumer lag (MSK's SumOffsetLag of the group
# rewrap-worker on spalce.keys.v1), as KEDA does on Kubernetes.

resource "aws_appautoscaling_target" "gateway" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.service["auth-gateway"].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.service_desired_count
  max_capacity       = var.gateway_max_count
}

resource "aws_appautoscaling_policy" "gateway_cpu" {
  name               = "${local.name}-gateway-cpu"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension
  policy_type        = "TargetTrackingScaling"

  target_tracking_scaling_policy_configuration {
    target_value       = 70
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_target" "rewrap" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.service["rewrap-worker"].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.service_desired_count
  max_capacity       = var.rewrap_max_count
}

resource "aws_appautoscaling_policy" "rewrap_out" {
  name               = "${local.name}-rewrap-lag-out"
  service_namespace  = aws_appautoscaling_target.rewrap.service_namespace
  resource_id        = aws_appautoscaling_target.rewrap.resource_id
  scalable_dimension = aws_appautoscaling_target.rewrap.scalable_dimension
  policy_type        = "StepScaling"

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 120
    metric_aggregation_type = "Maximum"

    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }
}

resource "aws_appautoscaling_policy" "rewrap_in" {
  name               = "${local.name}-rewrap-lag-in"
  service_namespace  = aws_appautoscaling_target.rewrap.service_namespace
  resource_id        = aws_appautoscaling_target.rewrap.resource_id
  scalable_dimension = aws_appautoscaling_target.rewrap.scalable_dimension
  policy_type        = "StepScaling"

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 300
    metric_aggregation_type = "Maximum"

    step_adjustment {
      metric_interval_upper_bound = 0
      scaling_adjustment          = -1
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "rewrap_lag_high" {
  alarm_name          = "${local.name}-rewrap-lag-high"
  alarm_description   = "rewrap-worker falls behind on spalce.keys.v1: add a task"
  namespace           = "AWS/Kafka"
  metric_name         = "SumOffsetLag"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rewrap_lag_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_appautoscaling_policy.rewrap_out.arn]

  dimensions = {
    "Cluster Name"   = aws_msk_cluster.main.cluster_name
    "Consumer Group" = "rewrap-worker"
    "Topic"          = "spalce.keys.v1"
  }
}

resource "aws_cloudwatch_metric_alarm" "rewrap_lag_low" {
  alarm_name          = "${local.name}-rewrap-lag-low"
  alarm_description   = "rewrap-worker has caught up on spalce.keys.v1: remove a task"
  namespace           = "AWS/Kafka"
  metric_name         = "SumOffsetLag"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "LessThanOrEqualToThreshold"
  threshold           = var.rewrap_lag_threshold / 10
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_appautoscaling_policy.rewrap_in.arn]

  dimensions = {
    "Cluster Name"   = aws_msk_cluster.main.cluster_name
    "Consumer Group" = "rewrap-worker"
    "Topic"          = "spalce.keys.v1"
  }
}
