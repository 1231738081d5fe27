-- A run's ExecutionResult as lines for the result buffer, and a one-line summary.
local M = {}

local function ms(value)
  if type(value) ~= "number" then
    return ""
  end
  if value >= 1000 then
    return string.format("%.1f s", value / 1000)
  end
  return string.format("%d ms", math.floor(value + 0.5))
end

local function present(value)
  return value ~= nil and value ~= vim.NIL and value ~= ""
end

--- "✓ hello.py 35 ms" or "✗ greet.py exit 1: KeyError: 'name'".
---@param script string
---@param result table
---@return string
function M.summary(script, result)
  if result.success then
    return string.format("✓ %s %s", script, ms(result.execution_time_ms))
  end
  if result.timed_out then
    return string.format("✗ %s timed out after %s", script, ms(result.execution_time_ms))
  end
  local parts = {}
  if present(result.exit_code) then
    table.insert(parts, "exit " .. tostring(result.exit_code))
  end
  local reason = {}
  for _, part in ipairs({ result.error_type, result.error }) do
    if present(part) then
      table.insert(reason, tostring(part))
    end
  end
  if #reason > 0 then
    table.insert(parts, table.concat(reason, ": "))
  end
  return string.format("✗ %s %s", script, #parts > 0 and table.concat(parts, ": ") or "failed")
end

local function add_block(lines, title, text, truncated)
  if not present(text) then
    return
  end
  table.insert(lines, "")
  table.insert(lines, string.format("--- %s%s ---", title, truncated and " (truncated)" or ""))
  vim.list_extend(lines, vim.split(vim.trim(text), "\n", { plain = true }))
end

--- The full report, as the result buffer shows it.
---@param script string
---@param inputs table|nil
---@param result table
---@return string[]
function M.lines(script, inputs, result)
  local lines = { M.summary(script, result) }
  if inputs ~= nil then
    table.insert(lines, "inputs: " .. require("scriptcontract.json").encode_object(inputs))
  end
  if present(result.output) then
    add_block(lines, "output", vim.json.encode(result.output))
  elseif present(result.stdout) then
    add_block(lines, "stdout", result.stdout, result.stdout_truncated)
  end
  if present(result.error) then
    table.insert(lines, "")
    table.insert(lines, "error: " .. (present(result.error_type) and (result.error_type .. ": ") or "") .. result.error)
  end
  add_block(lines, "stderr", result.stderr, result.stderr_truncated)
  add_block(lines, "stack at timeout", result.timeout_stack)
  local sandbox = result.sandbox
  if type(sandbox) == "table" and type(sandbox.enforced) == "table" then
    table.insert(lines, "")
    local line = "sandbox: enforced " .. (#sandbox.enforced > 0 and table.concat(sandbox.enforced, ", ") or "nothing")
    if type(sandbox.missing) == "table" and #sandbox.missing > 0 then
      line = line .. "; missing " .. table.concat(sandbox.missing, ", ")
    end
    table.insert(lines, line)
  end
  return lines
end

return M
