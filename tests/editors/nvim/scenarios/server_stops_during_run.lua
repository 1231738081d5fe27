-- The language server stops while a run goes (it crashed): the run is said to have ended at
-- once, not left "in progress" until :ScriptContractCancel.
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
  h.open(script)
  local pid_file = workspace .. "/data/script.pid"
  vim.cmd(string.format('ScriptContractRun {"pid_file": "%s"}', pid_file))
  h.wait("the script to start", function()
    return vim.fn.filereadable(pid_file) == 1 and vim.fn.getfsize(pid_file) > 0
  end)
  h.facts.script_pid = tonumber(vim.fn.readfile(pid_file)[1])
  -- The server is Neovim's only child process.
  local children = vim.api.nvim_get_proc_children(vim.fn.getpid())
  h.facts.children = #children
  assert(#children == 1 and children[1] > 1, "expected the server as Neovim's only child")
  vim.uv.kill(children[1], "sigkill")
  h.facts.ended = h.wait_notification("not finished").message
  h.facts.result_lines = h.result_lines("wait_for_service.py", "not finished")
  h.facts.running = vim.tbl_count(require("scriptcontract.run").running)
  local before = #h.facts.notifications
  vim.cmd("ScriptContractCancel")
  h.facts.cancel_said = h.facts.notifications[before + 1].message
end
