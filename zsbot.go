// Package zsbot is the domain of 招商助手, a WeCom bot for a district
// investment-promotion bureau: its records (projects, companies, activities,
// payments, tasks, coordination items, targets, people, groups), their money
// and dates, the audit trail, and the interfaces that storage and transports
// implement. It imports nothing of ours and no infrastructure.
package zsbot
