terraform {
  # 1.7 brings mock_provider for tests/*.tftest.hcl; optional() object attributes need 1.3.
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}
