output "image" {
  description = "<repository url>:<tag>, once built: what the Fargate task definitions run."
  value       = local.image
  # Task definitions that name the image wait for the build (when the apply starts it).
  depends_on = [terraform_data.build]
}

output "tag" {
  description = "<runner version>-<first 12 hex digits of the content hash of the image's files>."
  value       = local.tag
}

output "content_hash" {
  description = "SHA-256 over the names and contents of the files the image is built from."
  value       = local.content_hash
}

output "repository_arn" {
  description = "The ECR repository (the task execution role pulls from it)."
  value       = aws_ecr_repository.runner.arn
}

output "repository_url" {
  description = "The ECR repository's URI."
  value       = aws_ecr_repository.runner.repository_url
}

output "project_name" {
  description = "The CodeBuild project that builds the image."
  value       = aws_codebuild_project.runner.name
}

output "start_build_command" {
  description = "Starts the build by hand (when build_on_apply is false, or to retry a failed one)."
  value       = "aws codebuild start-build-batch --region ${var.region} --project-name ${aws_codebuild_project.runner.name}"
}
