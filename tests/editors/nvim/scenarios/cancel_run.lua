-- A run in flight shows its progress and stops with :ScriptContractCancel, or when its
-- script's buffer is closed.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local bufnr = h.open_waiting_script()
  h.facts.pid_by_command = h.start_waiting_run(workspace .. "/data/first.pid")
  h.facts.progress = h.wait_notification("Running wait_for_service%.py").message
  vim.cmd("ScriptContractCancel")
  h.facts.cancelled_lines = h.result_lines("wait_for_service.py", "cancelled")
  h.facts.pid_by_closing = h.start_waiting_run(workspace .. "/data/second.pid")
  vim.cmd("bwipeout! " .. bufnr)
  h.facts.cancelled_after_close = h.wait_notification("wait_for_service%.py: cancelled").message
end
