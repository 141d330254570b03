"""Plans, versions, problems, activities and indicators (issue 5)."""
