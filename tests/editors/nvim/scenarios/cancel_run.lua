-- A run in flight shows its progress and stops with :ScriptContractCancel, or when its
-- script's buffer is closed.
local WAITS = [[
import json
import os
import sys
import time

inputs = json.load(sys.stdin)
with open(inputs["pid_file"], "w") as handle:
    handle.write(str(os.getpid()))
while True:
    time.sleep(0.05)
]]

return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = workspace .. "/scripts/wait_for_service.py"
  vim.fn.writefile(vim.split(WAITS, "\n"), script)
  local bufnr = h.open(script)
  local function start(pid_file)
    vim.cmd(string.format('ScriptContractRun {"pid_file": "%s"}', pid_file))
    h.wait("the script to start", function()
      return vim.fn.filereadable(pid_file) == 1 and vim.fn.getfsize(pid_file) > 0
    end)
    return tonumber(vim.fn.readfile(pid_file)[1])
  end
  h.facts.pid_by_command = start(workspace .. "/data/first.pid")
  h.facts.progress = h.wait_notification("Running wait_for_service%.py").message
  vim.cmd("ScriptContractCancel")
  h.facts.cancelled_lines = h.result_lines("wait_for_service.py", "cancelled")
  h.facts.pid_by_closing = start(workspace .. "/data/second.pid")
  vim.cmd("bwipeout! " .. bufnr)
  h.facts.cancelled_after_close = h.wait_notification("wait_for_service%.py: cancelled").message
end
