-- The result buffer shows the output as the script wrote it: its keys' order, 6.0 and a
-- 20-digit id (decoded by Lua, the order is lost and the id becomes a float).
local NUMBERS = [[
import json
import sys

json.load(sys.stdin)
print('{"success": true, "total": 6.0, "id": 12345678901234567890, "b": 1, "a": 2}')
]]

return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local script = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/numbers.py"
  vim.fn.writefile(vim.split(NUMBERS, "\n"), script)
  h.open(script)
  vim.cmd("ScriptContractRun {}")
  h.facts.result_lines = h.result_lines("numbers.py", "%-%-%- output %-%-%-")
end
